namespace Supervisor.Core.Platform;

/// <summary>
/// The operating-system view the supervisor needs: signals, liveness, process trees and
/// identity. <see cref="ProcessControl.Current"/> picks the implementation for this OS.
/// "Gone" is an answer (false / null), never an exception; a refused signal (EPERM) is a
/// <see cref="SupException"/>.
/// </summary>
public interface IProcessControl
{
    /// <summary>Whether <see cref="WrapForNewSession"/> really starts apps as session and group leaders.
    /// When false, stop the app by signalling every pid of <see cref="GetProcessTree"/>.</summary>
    bool CanCreateSessions { get; }

    /// <summary>Clock ticks per second, the unit of <see cref="ProcessInfo"/> times.</summary>
    long TicksPerSecond { get; }

    /// <summary>When the machine booted; <see cref="ProcessInfo.StartTimeTicks"/> counts from here.</summary>
    long BootTimeUnixSeconds { get; }

    /// <summary>The effective uid of this process.</summary>
    int CurrentUid { get; }

    /// <summary>Sends <paramref name="signal"/> to one process. False when it is already gone.</summary>
    bool Signal(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/> to every member of a process group. False when no member is left.</summary>
    bool SignalGroup(int processGroupId, int signal);

    /// <summary>Whether the process exists and has not exited (a zombie counts as exited).</summary>
    bool IsAlive(int pid);

    /// <summary>A snapshot of the process, or null when it does not exist (or the OS cannot tell).</summary>
    ProcessInfo? TryGetInfo(int pid);

    /// <summary>
    /// <paramref name="rootPid"/> (if it still lives) and every living descendant, plus every process
    /// that stayed in the root's session or process group after being orphaned. Never this process.
    /// </summary>
    /// <exception cref="IOException">The process table could not be read whole (no descriptor left,
    /// `ulimit -n`): the tree is unknown, which is not the same as empty.</exception>
    IReadOnlyList<int> GetProcessTree(int rootPid);

    /// <summary>
    /// The command to start instead of <paramref name="fileName"/> so the app becomes the leader of
    /// a new session and process group while keeping its pid. Unchanged when <see cref="CanCreateSessions"/> is false.
    /// </summary>
    ProcessStartWrapper WrapForNewSession(string fileName, IReadOnlyList<string> arguments);
}
