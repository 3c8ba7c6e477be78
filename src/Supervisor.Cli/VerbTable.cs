using System.CommandLine;
using Supervisor.Cli.Commands;

namespace Supervisor.Cli;

/// <summary>
/// Every verb's factory by the names it is typed as, so that `sup ls` builds the `ls` command
/// alone instead of the whole tree (<see cref="SupCli.Build()"/>, about 30 verbs): the native
/// CLI's start is most of a `sup` call (docs/benchmarks.md). A verb missing here still works,
/// from the full tree; <c>VerbTableTests</c> checks that the names here are the verbs' own and
/// that each one parses, helps and fails exactly as in the full tree.
/// </summary>
internal static class VerbTable
{
    private static readonly (string[] Names, Func<Command> Create)[] Verbs =
    [
        (["start"], StartCommand.Create),
        (["ls", "list", "status"], ListCommand.Create),
        (["stop"], ControlCommands.Stop),
        (["restart"], ControlCommands.Restart),
        (["delete", "del"], ControlCommands.Delete),
        (["describe", "show"], DescribeCommand.Create),
        (["signal", "sendSignal"], SignalCommand.Create),
        (["logs"], LogsCommand.Create),
        (["flush"], FlushCommand.Create),
        (["reload"], ReloadCommand.Create),
        (["save"], LifecycleCommands.Save),
        (["resurrect"], LifecycleCommands.Resurrect),
        (["startup"], StartupCommands.Startup),
        (["unstartup"], StartupCommands.Unstartup),
        (["jobs"], JobCommands.Jobs),
        (["run"], JobCommands.Run),
        (["enable"], () => JobCommands.Toggle(enable: true)),
        (["disable"], () => JobCommands.Toggle(enable: false)),
        (["history"], JobCommands.History),
        (["pause"], PauseCommands.Pause),
        (["resume"], PauseCommands.Resume),
        (["cron"], CronCommand.Create),
        (["export"], ExportCommand.Create),
        (["events"], EventsCommand.Create),
        (["health"], HealthCommand.Create),
        (["reset"], ResetCommand.Create),
        (["ping"], DaemonCommands.Ping),
        (["version"], DaemonCommands.Version),
        (["kill"], DaemonCommands.Kill),
        (["update"], UpdateCommand.Create),
        (["daemon"], DaemonCommands.Daemon),
        (["monit"], MonitCommand.Create),
        (["init"], InitCommand.Create),
        (["completion"], CompletionCommand.Create),
        (["jlist"], Pm2Commands.Jlist),
        (["prettylist"], Pm2Commands.Prettylist),
        (["env"], Pm2Commands.Env),
        (["scale"], Pm2Commands.Scale),
        (["startOrRestart"], Pm2Commands.StartOrRestart),
        (["startOrReload"], Pm2Commands.StartOrReload),
        (["install"], Pm2Unneeded.Install),
        (["set"], Pm2Unneeded.Set),
        (["link"], Pm2Unneeded.Link),
        (["unlink"], Pm2Unneeded.Unlink),
        (["plus"], Pm2Unneeded.Plus),
        (["deploy"], Pm2Unneeded.Deploy),
    ];

    /// <summary>Every name the table knows, with the verb each builds (for the tests).</summary>
    internal static IEnumerable<(string[] Names, Func<Command> Create)> All => Verbs;

    /// <summary>
    /// The tree to parse <paramref name="args"/> with: the root with only the verb they begin
    /// with, or the whole tree for anything else (help, `--version`, directives, a misspelt or
    /// unlisted verb), so every usage error and suggestion is the full tree's.
    /// </summary>
    public static RootCommand For(string[] args)
    {
        if (args is [var first, ..])
        {
            foreach (var (names, create) in Verbs)
            {
                if (Array.IndexOf(names, first) >= 0)
                {
                    return SupCli.BuildWith(create());
                }
            }
        }

        return SupCli.Build();
    }
}
