namespace Supervisor.Cli;

public static class Program
{
    // The daemon skips the command tree: it would carry the parser for its whole life.
    public static Task<int> Main(string[] args) =>
        args is ["keeper"] ? Task.FromResult(DaemonLauncher.RunKeeper())
        : args is ["daemon"] ? SupCli.RunDaemonAsync(resurrect: false)
        : args is ["daemon", "--resurrect"] ? SupCli.RunDaemonAsync(resurrect: true)
        : SupCli.RunAsync(args);
}
