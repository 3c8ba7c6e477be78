using System.Runtime.Versioning;

namespace Supervisor.Core.Platform;

/// <summary>
/// Whoever reads this process's standard output. A follower such as `sup logs` asks it while
/// idle, so `sup logs app | grep -m1 ERROR` ends when grep does, not at the app's next line
/// (as GNU `tail -f` does since coreutils 8.28).
/// </summary>
[UnsupportedOSPlatform("windows")]
public static class OutputReader
{
    /// <summary>Whether standard output is a pipe whose reading end has closed (poll reports POLLERR).</summary>
    public static unsafe bool HasLeft()
    {
        var fd = new Libc.PollFd { Fd = 1, Events = 0 };
        return Libc.Poll(&fd, 1, 0) > 0 && (fd.REvents & Libc.POLLERR) != 0;
    }
}
