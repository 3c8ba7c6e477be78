using System.Diagnostics;
using Supervisor.Core;
using Supervisor.Core.Daemon;
using Supervisor.Core.Keeper;
using Supervisor.Core.Platform;
using Supervisor.Core.Protocol;
using Supervisor.Core.Rpc;

namespace Supervisor.Cli;

/// <summary>
/// Finds the daemon for this SUP_HOME, starting it (detached, in its own session, stdin from
/// /dev/null, output to daemon.out) when a command needs it, like `pm2` does.
/// </summary>
public static class DaemonLauncher
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    public static string SocketPath(SupPaths paths) => RpcServer.ResolveSocketPath(paths.Home, out _);

    /// <summary>Connects; fails at once with <see cref="SupError.DaemonNotRunning"/> when no daemon listens.</summary>
    /// <param name="listener">Receives what the daemon streams back (monit), if anything.</param>
    public static Task<DaemonConnection> ConnectAsync(SupPaths paths, CancellationToken cancellationToken, ISupDaemonClient? listener = null) =>
        RpcClient.ConnectAsync(SocketPath(paths), cancellationToken, listener);

    /// <summary>Connects, or starts the daemon and connects once it listens.</summary>
    public static async Task<DaemonConnection> ConnectOrStartAsync(SupPaths paths, CancellationToken cancellationToken, ISupDaemonClient? listener = null)
    {
        async Task<DaemonConnection?> tryConnect()
        {
            try
            {
                return await ConnectAsync(paths, cancellationToken, listener);
            }
            catch (SupException ex) when (ex.Error == SupError.DaemonNotRunning)
            {
                return null;
            }
        }

        if (await tryConnect() is { } running)
        {
            return running;
        }

        var failed = Spawn(paths);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            await Task.Delay(10, cancellationToken);
            if (await tryConnect() is { } started)
            {
                return started;
            }
            if (failed() || DateTime.UtcNow > deadline)
                throw new SupException(SupError.DaemonNotRunning,
                    $"The sup daemon did not start. See {paths.DaemonOut} and {paths.DaemonLog}.")
                {
                    Details = LastLines(paths.DaemonOut, 5),
                };
        }
    }

    /// <summary>The command that runs this same `sup` (apphost, or `dotnet sup.dll` under the muxer).</summary>
    public static (string FileName, List<string> Arguments) SelfCommand()
    {
        var process = Environment.ProcessPath ?? "sup";
        var name = Path.GetFileNameWithoutExtension(process);
        if (name == "dotnet")
            // Not Assembly.Location: it is empty in a native (AOT) binary, where this branch never runs anyway.
            return (process, [Path.Combine(AppContext.BaseDirectory, "sup.dll")]);
        return (process, []);
    }

    /// <summary>`sup keeper` as this binary runs it (what a daemon whose keeper died starts).</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) KeeperCommand()
    {
        var (file, args) = SelfCommand();
        args.Add("keeper");
        return (file, args);
    }

    /// <summary>
    /// `sup keeper` (hidden; what <see cref="Spawn"/> starts on Linux): the parent that starts the
    /// daemon, holds the apps' output and starts a new daemon if this one dies (Core/Keeper).
    /// </summary>
    public static int RunKeeper()
    {
        if (!OperatingSystem.IsLinux()) return 2;
        var (file, args) = SelfCommand();
        args.Add("daemon");
        return new KeeperProcess(SupPaths.FromEnvironment(), file, args).Run();
    }

    /// <summary>
    /// Starts the daemon detached (on Linux under a keeper: `sup keeper`, which starts `sup daemon`);
    /// returns a check for "it has already exited with an error".
    /// </summary>
    private static Func<bool> Spawn(SupPaths paths)
    {
        SecureDirectory.Create(paths.Home);
        var (file, args) = SelfCommand();
        if (OperatingSystem.IsLinux() && ChildReaper.IsSupported)
        {
            args.Add(Environment.GetEnvironmentVariable("SUP_NO_KEEPER") == "1" ? "daemon" : "keeper");
            // posix_spawn in a new session with every signal at its default: SIGINT reaches the
            // daemon's graceful stop even when this `sup` runs with it ignored (in the background
            // of a script), which sh and setsid would pass on; and one exec instead of three.
            var pid = SessionSpawn.StartDetached(file, args, paths.DaemonOut,
                new Dictionary<string, string> { ["SUP_HOME"] = paths.Home });
            // (IsLinux again for the analyzer, which does not follow the guard into the lambda.)
            return () => OperatingSystem.IsLinux() && SessionSpawn.ExitCodeIfExited(pid) is int code && code != 0;
        }

        args.Add("daemon");
        var session = ProcessControl.Current.WrapForNewSession(file, args);
        // sh does the redirections so the daemon holds none of this terminal's descriptors:
        // `sup start | cat` must finish, and closing the terminal must not reach the daemon.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$@\" </dev/null >>\"$SUP_DAEMON_OUT\" 2>&1");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(session.FileName);
        foreach (var a in session.Arguments) info.ArgumentList.Add(a);
        info.Environment["SUP_DAEMON_OUT"] = paths.DaemonOut;
        info.Environment["SUP_HOME"] = paths.Home;
        var daemon = Process.Start(info) ?? throw new SupException(SupError.Io, "Could not start the sup daemon.");
        return () => daemon.HasExited && daemon.ExitCode != 0;
    }

    private static IReadOnlyList<string> LastLines(string path, int count)
    {
        try { return File.ReadAllLines(path).TakeLast(count).ToList(); }
        catch (IOException) { return []; }
    }
}
