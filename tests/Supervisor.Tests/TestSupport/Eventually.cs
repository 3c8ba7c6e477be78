using Xunit;
namespace Supervisor.Tests.TestSupport;

/// <summary>Polling with a deadline instead of sleeps: fast when things are fast, patient on a busy machine.</summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition()) return true;
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(50));
        }
    }

    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> accept, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await read();
            if (accept(last)) return last;
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"Timed out after {timeout} waiting for {what}; last value: {last}");
            await Task.Delay(100);
        }
    }
}
