using System.CommandLine;
using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Commands;

/// <summary>`sup pause [JOB...]` and `sup resume [JOB...]`: hold job schedules (persisted), services untouched.</summary>
public static class PauseCommands
{
    public static Command Pause() => Create(pause: true);

    public static Command Resume() => Create(pause: false);

    private static Command Create(bool pause)
    {
        var names = new Argument<string[]>("job")
        {
            Description = "Job names (default: every job; `all` too).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command(pause ? "pause" : "resume", pause
            ? "Hold the schedules of all jobs, or of the named ones, until `sup resume` (persisted; services keep running, a run under way finishes)."
            : "Let paused job schedules run again (no names: every job, also those paused by name).") { names };
        command.SetAction(async (parse, ct) =>
        {
            var given = parse.GetValue(names) ?? [];
            var reply = await DaemonCall.InvokeAsync(
                d => pause ? d.PauseAsync(given.Length == 0 ? null : given, ct) : d.ResumeAsync(given.Length == 0 ? null : given, ct), ct);
            Console.Write(Render(reply, pause, all: given.Length == 0 || given is ["all"]));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Render(PauseResult reply, bool pause, bool all)
    {
        var verb = pause ? "paused" : "resumed";
        var text = string.Concat(reply.Jobs.Select(j => $"{verb,-8} {j}\n"));
        if (all)
            text += pause
                ? "All job schedules are paused (services keep running); `sup resume` lets them run again.\n"
                : "All job schedules run again.\n";
        return text;
    }
}
