using Supervisor.Core.Config;
using Supervisor.Core.Protocol;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Daemon;

/// <summary>Turns an owner's snapshot into the documented wire rows.</summary>
public static class AppInfoMapper
{
    public static AppInfo ToInfo(IAppSupervisor app, DateTimeOffset now)
    {
        var s = app.Snapshot();
        var usage = app.LastUsage;
        var running = s.Pid is not null;
        return new AppInfo
        {
            Name = s.Name,
            Kind = s.Kind == AppKind.Job ? "job" : "service",
            Status = s.Status.ToWire(),
            Pid = s.Pid,
            UptimeMs = s.StartedAt is { } started ? (long)(now - started).TotalMilliseconds : null,
            Restarts = s.Restarts,
            Cpu = running && usage is { } u1 ? Math.Round(u1.CpuPercent, 1) : null,
            Memory = running && usage is { } u2 ? u2.MemoryBytes : null,
            NextRun = s.NextRun?.ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
            Reason = s.Reason,
            WaitingMs = s.WaitingUntil is { } until ? Math.Max(0, (long)(until - now).TotalMilliseconds) : null,
            LastExitCode = s.LastExit?.ExitCode,
            FastCrashes = s.FastCrashes,
            LastRun = s.LastRunAt?.ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
            LastResult = s.LastResult,
            Enabled = s.Enabled,
            LogLinesDropped = app is ILogOwner owner ? owner.Logs.DroppedLines : 0,
        };
    }
}
