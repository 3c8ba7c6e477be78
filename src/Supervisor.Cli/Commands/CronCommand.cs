using System.CommandLine;
using Supervisor.Core;
using Supervisor.Core.Scheduling;

namespace Supervisor.Cli.Commands;

/// <summary>`sup cron "EXPR" [--tz ZONE] [--next N] [--from TIME]`: check an expression before relying on it. Needs no daemon.</summary>
public static class CronCommand
{
    public static Command Create()
    {
        var expression = new Argument<string>("expression") { Description = "Cron expression: 5 fields, 6 with seconds first, or @daily etc." };
        var tz = new Option<string>("--tz") { Description = "IANA time zone (default: this machine's)." };
        var next = new Option<int>("--next") { Description = "How many fire times.", DefaultValueFactory = _ => 5 };
        var from = new Option<string>("--from") { Description = "Start from this time (ISO 8601) instead of now." };
        var command = new Command("cron", "Preview the next fire times of a cron expression.") { expression, tz, next, from };
        command.SetAction(parse =>
        {
            CronExpression cron;
            try { cron = CronExpression.Parse(parse.GetValue(expression)!); }
            catch (FormatException ex) { throw new SupException(SupError.BadArgument, ex.Message); }
            var zone = TimeZones.Find(parse.GetValue(tz));
            var now = DateTimeOffset.Now;
            var start = now;
            if (parse.GetValue(from) is { } text && !DateTimeOffset.TryParse(text, out start))
                throw new SupException(SupError.BadArgument, $"--from '{text}' is not a date and time. Use ISO 8601, e.g. 2026-03-08T00:00:00-05:00.");
            var count = Math.Clamp(parse.GetValue(next), 1, 1000);
            var lines = CronPreview.Lines(cron, zone, start, count, now);
            if (lines.Count == 0) Console.WriteLine("This expression never fires.");
            foreach (var line in lines) Console.WriteLine(line);
            return ExitCodes.Ok;
        });
        return command;
    }
}
