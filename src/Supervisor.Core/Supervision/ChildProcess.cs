using System.ComponentModel;
using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.Versioning;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Supervision;

/// <summary>
/// One running child: started in its own session (so its whole tree can be signalled as a
/// group), stdin at EOF, stdout and stderr piped into the app's logs. On Linux it is spawned
/// directly as a session leader (<see cref="SessionSpawn"/>) and its exit comes from a pidfd
/// (<see cref="ChildReaper"/>); elsewhere through Process.Start of the control's session wrapper,
/// its exit from the Exited event (not WaitForExitAsync, which also waits for grandchildren
/// holding the output pipe).
/// </summary>
public sealed partial class ChildProcess : IDisposable
{
    private readonly Process? _process;
    private readonly Stream[] _pipes;

    private ChildProcess(int pid, Process? process, Task<ChildExit> exited, DateTimeOffset startedAt, Task output, params Stream[] pipes)
    {
        Pid = pid;
        _process = process;
        _pipes = pipes;
        Exited = exited;
        StartedAt = startedAt;
        OutputClosed = output;
    }

    public int Pid { get; }
    public DateTimeOffset StartedAt { get; }
    public Task<ChildExit> Exited { get; }

    /// <summary>Completes when both output pipes reached EOF (may be after <see cref="Exited"/>).</summary>
    public Task OutputClosed { get; }

    public static ChildProcess Start(ChildCommand command, AppLogs logs, IProcessControl control, TimeProvider time) =>
        OperatingSystem.IsLinux() && control is LinuxProcessControl && ChildReaper.IsSupported
            ? StartSpawned(command, logs, time)
            : StartWithProcess(command, logs, control, time);

    [SupportedOSPlatform("linux")]
    private static ChildProcess StartSpawned(ChildCommand command, AppLogs logs, TimeProvider time)
    {
        // Taken before the spawn so a child that dies at once still gets a sane uptime.
        var startedAt = time.GetUtcNow();
        var reaper = ChildReaper.Shared;
        SpawnedChild child;
        Task<int> exitCode;
        lock (reaper.Spawning)
        {
            child = SessionSpawn.Start(command.FileName, command.Arguments, command.WorkingDirectory, command.Environment);
            try
            {
                exitCode = reaper.WatchAsync(child.Pid);
            }
            catch (SupException)
            {
                // Unwatched, it would run on without supervision: the caller sees a failed start instead.
                SessionSpawn.Discard(child);
                throw;
            }
        }
        var exited = exitCode.ContinueWith(code =>
        {
            var at = time.GetUtcNow();
            return new ChildExit(code.Result, at, at - startedAt);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Keeper.KeeperLink.Current?.Hold(child); // keeper hook: a read end survives this daemon
        var stdout = new AnonymousPipeClientStream(PipeDirection.In, child.Stdout);
        var stderr = new AnonymousPipeClientStream(PipeDirection.In, child.Stderr);
        // Pumped from the handles, not the streams: output leaves a pipe only once it is in the log.
        var output = logs.PumpAsync(child.Stdout, child.Stderr, CancellationToken.None);
        Keeper.KeeperLink.Current?.DropWhenClosed(child.Pid, output);
        // Disposed with the child: left to their finalizers, a crash loop kept two descriptors per
        // restart open until a GC ran (issue 14), and a daemon under a low `ulimit -n` ran out.
        return new ChildProcess(child.Pid, null, exited, startedAt, output, stdout, stderr);
    }

    private static ChildProcess StartWithProcess(ChildCommand command, AppLogs logs, IProcessControl control, TimeProvider time)
    {
        var launch = control.WrapForNewSession(command.FileName, command.Arguments);
        var info = new ProcessStartInfo(launch.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = command.WorkingDirectory,
        };
        foreach (var argument in launch.Arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in command.Environment) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource<ChildExit>(TaskCreationOptions.RunContinuationsAsynchronously);
        var startedAt = time.GetUtcNow();
        process.Exited += (_, _) =>
        {
            var at = time.GetUtcNow();
            exited.TrySetResult(new ChildExit(ExitCodeOf(process), at, at - startedAt));
        };

        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new SupException(SupError.Io, $"Could not start '{command.FileName}': {ex.Message}.");
        }

        // The child gets EOF on stdin instead of a pipe nobody writes to.
        try { process.StandardInput.Close(); } catch (IOException) { }

        var output = logs.PumpAsync(process.StandardOutput.BaseStream, process.StandardError.BaseStream, CancellationToken.None);
        return new ChildProcess(process.Id, process, exited.Task, startedAt, output);
    }

    /// <summary>Sends a signal to the child itself (like `pm2 sendSignal`); false if it is gone.</summary>
    public bool Signal(IProcessControl control, int signal) => !Exited.IsCompleted && control.Signal(Pid, signal);

    private static int ExitCodeOf(Process process)
    {
        try { return process.ExitCode; }
        catch (InvalidOperationException) { return -1; }
    }

    /// <summary>Closes the output pipes (call after <see cref="OutputClosed"/>, or they are cut short).</summary>
    public void Dispose()
    {
        foreach (var pipe in _pipes) pipe.Dispose();
        _process?.Dispose();
    }
}
