using System.Runtime.InteropServices;

namespace Supervisor.Core.Platform;

// Process-control calls beyond kill/posix_spawn/waitpid (those are in Libc.cs): the child
// subreaper switch and reading another process's environment.
internal static partial class Libc
{
    /// <summary>prctl(2): orphaned descendants re-parent to this process instead of init (Linux 3.4).</summary>
    public const int PR_SET_CHILD_SUBREAPER = 36;

    public const int PR_GET_CHILD_SUBREAPER = 37;

    public const int EMFILE = 24;

    // prctl is variadic after the option; unsigned longs pass as fixed arguments on x86-64 and arm64.
    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, nuint argument2, nuint argument3, nuint argument4, nuint argument5);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    public static unsafe partial int Prctl(int option, int* argument2, nuint argument3, nuint argument4, nuint argument5);
}
