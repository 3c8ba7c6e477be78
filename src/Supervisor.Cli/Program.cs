namespace Supervisor.Cli;

public static class Program
{
    // Not async: read-only calls that scripts repeat skip the command tree (see FastPath), and
    // an async Main would cost them a state machine the runtime compiles at start-up. The
    // daemon skips it too: it would carry the parser for its whole life.
    public static Task<int> Main(string[] args) =>
        args is ["keeper"] ? Task.FromResult(DaemonLauncher.RunKeeper())
        : args is ["daemon"] ? SupCli.RunDaemonAsync(resurrect: false)
        : args is ["daemon", "--resurrect"] ? SupCli.RunDaemonAsync(resurrect: true)
        : FastPath.TryRun(args) is int code ? Task.FromResult(code)
        : SupCli.RunAsync(args);
}
