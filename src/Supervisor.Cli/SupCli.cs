using System.CommandLine;
using Supervisor.Cli.Commands;
using Supervisor.Core;

namespace Supervisor.Cli;

/// <summary>
/// The `sup` command tree. Every user-caused error ends here as one line on stderr (plus the
/// problem list for config errors) and a stable exit code, never a stack trace.
/// </summary>
public static class SupCli
{
    public static RootCommand Build()
    {
        var root = NewRoot();
        root.Add(StartCommand.Create());
        root.Add(ListCommand.Create());
        root.Add(ControlCommands.Stop());
        root.Add(ControlCommands.Restart());
        root.Add(ControlCommands.Delete());
        root.Add(DescribeCommand.Create());
        root.Add(SignalCommand.Create());
        root.Add(LogsCommand.Create());
        root.Add(FlushCommand.Create());
        root.Add(ReloadCommand.Create());
        root.Add(LifecycleCommands.Save());
        root.Add(LifecycleCommands.Resurrect());
        root.Add(StartupCommands.Startup());
        root.Add(StartupCommands.Unstartup());
        root.Add(JobCommands.Jobs());
        root.Add(JobCommands.Run());
        root.Add(JobCommands.Toggle(enable: true));
        root.Add(JobCommands.Toggle(enable: false));
        root.Add(JobCommands.History());
        root.Add(PauseCommands.Pause());
        root.Add(PauseCommands.Resume());
        root.Add(CronCommand.Create());
        root.Add(ExportCommand.Create());
        root.Add(DaemonCommands.Ping());
        root.Add(DaemonCommands.Version());
        root.Add(DaemonCommands.Kill());
        root.Add(UpdateCommand.Create());
        root.Add(DaemonCommands.Daemon());
        root.Add(MonitCommand.Create());
        root.Add(EventsCommand.Create());
        root.Add(HealthCommand.Create());
        root.Add(ResetCommand.Create());
        root.Add(InitCommand.Create());
        root.Add(CompletionCommand.Create());
        root.Add(CompleteCommand.Create());
        root.Add(Pm2Commands.Jlist());
        root.Add(Pm2Commands.Prettylist());
        root.Add(Pm2Commands.Env());
        root.Add(Pm2Commands.Scale());
        root.Add(Pm2Commands.StartOrRestart());
        root.Add(Pm2Commands.StartOrReload());
        root.Add(Pm2Unneeded.Install());
        root.Add(Pm2Unneeded.Set());
        root.Add(Pm2Unneeded.Link());
        root.Add(Pm2Unneeded.Unlink());
        root.Add(Pm2Unneeded.Plus());
        root.Add(Pm2Unneeded.Deploy());
        UsageErrors.RejectOptionsAsNames(root);
        return root;
    }

    private static RootCommand NewRoot()
    {
        var root = new RootCommand("sup: a process supervisor with a scheduler built in. Keeps services alive, runs jobs, captures logs.");
        // PM2's `pm2 -v`.
        foreach (var version in root.Options.OfType<VersionOption>()) version.Aliases.Add("-v");
        return root;
    }

    /// <summary>The root with one verb only: what <see cref="VerbTable"/> parses a known verb with.</summary>
    internal static RootCommand BuildWith(Command verb)
    {
        var root = NewRoot();
        root.Add(verb);
        UsageErrors.RejectOptionsAsNames(root);
        return root;
    }

    /// <summary>
    /// How every `sup` command line is parsed. No response files: a leading `@` is the user's
    /// text (`sup cron "@daily"`, `sup start x.sh -- @x`), not the name of a file of arguments.
    /// </summary>
    public static ParserConfiguration Parsing { get; } = new() { ResponseFileTokenReplacer = null };

    public static Task<int> RunAsync(string[] args) => GuardAsync(() =>
    {
        // A bare `sup` shows the help, as `pm2` does, rather than "Required command was not provided."
        var parse = VerbTable.For(args).Parse(args is [] ? ["--help"] : args, Parsing);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine(Terminal.Error(UsageErrors.Describe(parse)));
            return Task.FromResult(ExitCodes.Usage);
        }
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        // The foreground daemon handles SIGTERM/SIGINT itself (graceful stop of every app);
        // the parser's own handler would cut that short after its timeout.
        if (args is ["daemon", ..]) config.ProcessTerminationTimeout = null;
        return parse.InvokeAsync(config);
    });

    /// <summary>
    /// `sup daemon` as the launcher runs it, without building the command tree: the parser then
    /// costs the long-lived daemon neither start-up time nor memory (docs/benchmarks.md).
    /// </summary>
    public static Task<int> RunDaemonAsync(bool resurrect) => GuardAsync(() => DaemonCommands.RunDaemonAsync(resurrect));

    private static async Task<int> GuardAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (SupException ex)
        {
            Console.Error.WriteLine(Terminal.Error(ex.Message));
            foreach (var line in ex.Details) Console.Error.WriteLine("  " + line);
            return ExitCodes.For(ex.Error);
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Interrupted;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
        {
            Console.Error.WriteLine(Terminal.Error($"sup: {ex.Message}"));
            return ExitCodes.Failed;
        }
        catch (Exception ex)
        {
            // A bug of ours, not the user's: still one line, and where to look.
            Console.Error.WriteLine(Terminal.Error($"sup: unexpected {ex.GetType().Name}: {ex.Message} (please report it; the daemon's side is in $SUP_HOME/daemon.log)"));
            return ExitCodes.Failed;
        }
    }
}
