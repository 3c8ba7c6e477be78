using Xunit;

namespace Supervisor.Tests.Logs;

/// <summary>Waits for a condition with a generous deadline instead of sleeping a fixed time.</summary>
internal static class Poll
{
    public static Task UntilAsync(Func<bool> condition, int timeoutSeconds = 20) =>
        UntilAsync(() => Task.FromResult(condition()), timeoutSeconds);

    public static async Task UntilAsync(Func<Task<bool>> condition, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Condition not met within {timeoutSeconds} s.");
            }
            await Task.Delay(20);
        }
    }
}
