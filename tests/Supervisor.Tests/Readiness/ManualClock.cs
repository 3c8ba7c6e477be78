using Supervisor.Tests.TestSupport;

namespace Supervisor.Tests.Readiness;

internal static class ManualClock
{
    /// <summary>Moves the clock from timer to timer until <paramref name="task"/> completes (exact: each timer fires at its due time).</summary>
    public static async Task<T> RunAsync<T>(this ManualTimeProvider time, Task<T> task)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!task.IsCompleted)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the code under test neither finished nor armed a timer");
            var due = time.DueTimes;
            if (due.Count > 0) time.Advance(due[0] - time.GetUtcNow());
            else await Task.Delay(1);
        }
        return await task;
    }
}
