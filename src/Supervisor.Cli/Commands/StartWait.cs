using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Commands;

/// <summary>
/// `sup start FILE` without --no-wait: after the daemon applied the file, waits until every app it
/// started that is still `starting` (a ready: check, or its dependencies) is online or has
/// failed (errored, waiting on a restart, stopped). Apps without ready: are online at once, so
/// they cost no wait and no extra request.
/// </summary>
internal static class StartWait
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(500);

    /// <returns>The plan with the apps as they ended, and the awaited apps that did not come online.</returns>
    public static async Task<(StartPlan Plan, IReadOnlyList<AppInfo> Failed)> WaitAsync(StartPlan plan, CancellationToken cancellationToken)
    {
        var started = plan.Started.Concat(plan.Restarted.Select(r => r.Name)).ToHashSet(StringComparer.Ordinal);
        // "waiting for" is what a ready: check or a dependency shows; an app merely between a
        // crash and its next spawn is starting too, and is not awaited (it has nothing to pass).
        var awaited = plan.Apps.Where(a => started.Contains(a.Name) && a.Status == "starting" && a.Reason?.Contains("waiting for ", StringComparison.Ordinal) == true)
            .Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        if (awaited.Count == 0) return (plan, []);

        Console.Error.WriteLine(Terminal.Dim($"waiting for {string.Join(", ", awaited.Order(StringComparer.Ordinal))} to be ready (--no-wait returns at once)"));
        var apps = plan.Apps;
        var pause = FirstPoll;
        while (apps.Any(a => awaited.Contains(a.Name) && a.Status == "starting"))
        {
            await Task.Delay(pause, cancellationToken);
            pause = pause * 2 < MaxPoll ? pause * 2 : MaxPoll;
            var now = await DaemonCall.InvokeAsync(d => d.ListAsync(cancellationToken), cancellationToken, startIfNeeded: false);
            var byName = now.ToDictionary(a => a.Name, StringComparer.Ordinal);
            apps = [.. plan.Apps.Select(a => byName.GetValueOrDefault(a.Name, a))];
        }

        var failed = apps.Where(a => awaited.Contains(a.Name) && a.Status != "online").ToList();
        return (plan with { Apps = apps }, failed);
    }

    public static void PrintFailed(IReadOnlyList<AppInfo> failed)
    {
        foreach (var app in failed)
            Console.Error.WriteLine(Terminal.Red($"not ready: {app.Name} is {app.Status}") + (app.Reason is { } r ? $": {r}" : ""));
    }
}
