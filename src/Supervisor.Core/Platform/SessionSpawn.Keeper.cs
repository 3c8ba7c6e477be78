using System.Runtime.Versioning;

namespace Supervisor.Core.Platform;

public static partial class SessionSpawn
{
    /// <summary>
    /// The keeper starts its daemon: as <see cref="Start"/> does for an app (new session, every
    /// signal at its default, stdin from /dev/null) but keeping the keeper's stdout and stderr
    /// (daemon.out) and passing <paramref name="passFd"/> as descriptor <paramref name="asFd"/>, not
    /// close-on-exec there. Every other descriptor of the keeper is close-on-exec.
    /// </summary>
    /// <returns>The daemon's pid, a child of the caller (reap it with waitpid).</returns>
    /// <exception cref="SupException">The program could not be started.</exception>
    [SupportedOSPlatform("linux")]
    public static unsafe int StartWithDescriptor(string fileName, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment, int passFd, int asFd) =>
        Spawn(fileName, arguments, environment, fileActions =>
        {
            Check(fileName, Libc.SpawnFileActionsAddOpen((void*)fileActions, 0, "/dev/null", Libc.O_RDONLY, 0));
            // dup2 onto another number clears close-on-exec on the copy (the caller makes sure they differ).
            Check(fileName, Libc.SpawnFileActionsAddDup2((void*)fileActions, passFd, asFd));
        });
}
