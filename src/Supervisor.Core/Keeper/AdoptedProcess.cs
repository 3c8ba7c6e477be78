using Microsoft.Win32.SafeHandles;

namespace Supervisor.Core.Keeper;

/// <summary>
/// An app a previous daemon started and this one takes over: its pid, when it started (from
/// /proc, so `sup ls` shows the same uptime), new read ends of its pipes, and its exit code
/// (from the keeper, which reaps it) once it ends.
/// </summary>
public sealed record AdoptedProcess(int Pid, DateTimeOffset StartedAt, SafePipeHandle Stdout, SafePipeHandle Stderr, Task<int> ExitCode);
