using System.IO.Pipes;
using System.Runtime.Versioning;
using Supervisor.Core.Keeper;
using Supervisor.Core.Logs;

namespace Supervisor.Core.Supervision;

public sealed partial class ChildProcess
{
    /// <summary>
    /// Keeper hook: a child a previous daemon started, taken over by this one (see
    /// Daemon/OrphanSweeper): its output pumped from the pipes the keeper held, its exit learnt
    /// from the keeper. Its uptime counts from its real start.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static ChildProcess Adopt(AdoptedProcess adopted, AppLogs logs, TimeProvider time)
    {
        var startedAt = adopted.StartedAt;
        var exited = adopted.ExitCode.ContinueWith(code =>
        {
            var at = time.GetUtcNow();
            return new ChildExit(code.Result, at, at - startedAt);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var output = logs.PumpAsync(adopted.Stdout, adopted.Stderr, CancellationToken.None);
        KeeperLink.Current?.DropWhenClosed(adopted.Pid, output);
        // The streams only own the handles, so disposing the child closes them.
        return new ChildProcess(adopted.Pid, null, exited, startedAt, output,
            new AnonymousPipeClientStream(PipeDirection.In, adopted.Stdout),
            new AnonymousPipeClientStream(PipeDirection.In, adopted.Stderr));
    }
}
