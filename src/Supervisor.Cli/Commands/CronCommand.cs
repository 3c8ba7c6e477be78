using System.CommandLine;
using System.Globalization;
using Supervisor.Core;
using Supervisor.Core.Scheduling;

namespace Supervisor.Cli.Commands;

/// <summary>
/// `sup cron "EXPR" [--tz ZONE] [--next N] [--from TIME]`: check an expression before relying on
/// it. One line per fire time: ISO 8601 with the zone's offset, then a human form. Needs no daemon.
/// </summary>
public static class CronCommand
{
    private const int MaxCount = 1000;

    public static Command Create()
    {
        var expression = new Argument<string>("expression") { Description = "Cron expression: 5 fields, 6 with seconds first, or @daily etc." };
        var tz = new Option<string>("--tz") { Description = "IANA time zone (default: this machine's)." };
        var next = new Option<int>("--next") { Description = $"How many fire times (1-{MaxCount}).", DefaultValueFactory = _ => 5 };
        var from = new Option<string>("--from") { Description = "Start after this time instead of now: ISO 8601; without an offset it is a time in --tz." };
        var command = new Command("cron", "Preview the next fire times of a cron expression.") { expression, tz, next, from };
        command.SetAction(parse =>
        {
            var text = parse.GetValue(expression)!;
            if (!CronExpression.TryParse(text, out var cron, out var error))
                throw new SupException(SupError.BadArgument, error);
            var zone = TimeZones.Find(parse.GetValue(tz));
            var count = parse.GetValue(next);
            if (count is < 1 or > MaxCount)
                throw new SupException(SupError.BadArgument, $"--next {count} is out of range; give a number of fire times from 1 to {MaxCount}.");
            var now = DateTimeOffset.Now;
            var start = parse.GetValue(from) is { } fromText ? ParseFrom(fromText, zone) : now;

            var lines = CronPreview.Lines(cron, zone, start, count, now);
            if (lines.Count == 0)
                throw new SupException(SupError.BadArgument,
                    $"Cron expression \"{text}\" never fires: no date matches all its fields (check the day of month against the month).");
            foreach (var line in lines) Console.WriteLine(line);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>ISO 8601; a time without an offset is read in <paramref name="zone"/>, as a user of --tz means it.</summary>
    private static DateTimeOffset ParseFrom(string text, TimeZoneInfo zone)
    {
        var styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, styles, out var parsed))
            throw new SupException(SupError.BadArgument, $"--from '{text}' is not a date and time. Use ISO 8601, e.g. 2026-03-08T00:00:00-05:00 or 2026-03-08T00:00 (in --tz).");
        if (parsed.Kind != DateTimeKind.Unspecified)
            return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces);
        // A wall-clock time skipped by a DST jump has no instant; the offset before the jump is as good as any.
        var offset = zone.IsInvalidTime(parsed) ? zone.GetUtcOffset(parsed.AddHours(-3)) : zone.GetUtcOffset(parsed);
        return new DateTimeOffset(parsed, offset);
    }
}
