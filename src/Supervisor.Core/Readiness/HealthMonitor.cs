namespace Supervisor.Core.Readiness;

/// <summary>
/// Runs a service's `health:` check while it is online, with docker compose's rules: a check
/// every interval (the first one interval after monitoring begins), each bounded by timeout;
/// retries failures in a row make the app unhealthy; failures within start_period of the
/// child's start do not count, and a pass resets the count.
/// </summary>
public static class HealthMonitor
{
    /// <summary>Checks until the app is unhealthy, then returns why ("health: GET … timed out 3 times").</summary>
    /// <param name="startedAt">When the child started: start_period counts from there.</param>
    /// <param name="onFailure">Told each counted failure (count, failure), for daemon.log.</param>
    /// <param name="onPass">Told each check that passed.</param>
    /// <exception cref="OperationCanceledException">The run ended or was stopped.</exception>
    public static async Task<string> RunAsync(IProbe probe, HealthSpec spec, DateTimeOffset startedAt, TimeProvider time,
        Action<int, string>? onFailure, CancellationToken cancellationToken, Action? onPass = null)
    {
        var failures = new List<string>();
        while (true)
        {
            await Task.Delay(spec.Interval, time, cancellationToken);
            var result = await probe.CheckAsync(spec.Timeout, cancellationToken);
            if (result.Passed)
            {
                failures.Clear();
                onPass?.Invoke();
                continue;
            }
            if (time.GetUtcNow() - startedAt < spec.StartPeriod) continue;

            failures.Add(result.Failure ?? "failed");
            onFailure?.Invoke(failures.Count, failures[^1]);
            if (failures.Count >= spec.Retries) return Reason(probe.What, failures);
        }
    }

    private static string Reason(string what, List<string> failures)
    {
        var times = failures.Count == 1 ? "once" : $"{failures.Count} times";
        return failures.Distinct(StringComparer.Ordinal).Count() == 1
            ? $"health: {what} {failures[0]} {times}"
            : $"health: {what} failed {times} in a row (last: {failures[^1]})";
    }
}
