using Supervisor.Core.Scheduling;
using Xunit;

namespace Supervisor.Tests.Scheduling;

public sealed class CronExpressionParsingTests
{
    // Just before 2026 begins, so midnight on 1 January is the first candidate.
    private static readonly DateTimeOffset Start = new(2025, 12, 31, 23, 59, 59, TimeSpan.Zero);

    private static List<DateTimeOffset> Fires(string expression, int count = 50) =>
        CronExpression.Parse(expression).GetOccurrences(Start, TimeZoneInfo.Utc, count).ToList();

    [Fact]
    public void Five_fields_have_no_seconds_and_six_fields_start_with_seconds()
    {
        var five = CronExpression.Parse("0 9 * * *");
        var six = CronExpression.Parse("30 0 9 * * *");

        Assert.False(five.HasSeconds);
        Assert.True(six.HasSeconds);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 9, 0, 30, TimeSpan.Zero), six.GetNextOccurrence(Start, TimeZoneInfo.Utc));
    }

    [Fact]
    public void ToString_gives_back_the_text_as_written()
    {
        Assert.Equal("0 9 * * mon-FRI", CronExpression.Parse("0 9 * * mon-FRI").ToString());
        Assert.Equal("@daily", CronExpression.Parse("@daily").ToString());
    }

    [Theory]
    [InlineData("*/15 0 1 1 *", new[] { 0, 15, 30, 45 })]
    [InlineData("10-50/20 0 1 1 *", new[] { 10, 30, 50 })]
    [InlineData("5/15 0 1 1 *", new[] { 5, 20, 35, 50 })]
    [InlineData("9,17,1-3 0 1 1 *", new[] { 1, 2, 3, 9, 17 })]
    [InlineData("59 0 1 1 *", new[] { 59 })]
    public void Steps_ranges_and_lists_select_the_minutes_they_name(string expression, int[] minutes)
    {
        var fired = Fires(expression, minutes.Length + 1);

        Assert.Equal(minutes, fired.Take(minutes.Length).Select(f => f.Minute));
        Assert.Equal(2027, fired[^1].Year);
    }

    [Theory]
    [InlineData("0 9 * jan-MAR Mon-fri", "0 9 * 1-3 1-5")]
    [InlineData("0 9 * DEC sun", "0 9 * 12 0")]
    [InlineData("0 9 * * 7", "0 9 * * 0")]
    [InlineData("0 9 * * SUN,7", "0 9 * * 0")]
    [InlineData("0 9 * * FRI-SUN", "0 9 * * 5,6,0")]
    [InlineData("0 9 ? * *", "0 9 * * *")]
    [InlineData("0 9 * * ?", "0 9 * * *")]
    [InlineData("@yearly", "0 0 1 1 *")]
    [InlineData("@annually", "0 0 1 1 *")]
    [InlineData("@monthly", "0 0 1 * *")]
    [InlineData("@weekly", "0 0 * * 0")]
    [InlineData("@daily", "0 0 * * *")]
    [InlineData("@MIDNIGHT", "0 0 * * *")]
    [InlineData("@hourly", "0 * * * *")]
    [InlineData("  0   9\t* * *  ", "0 9 * * *")]
    public void Names_macros_and_spellings_mean_the_same_as_their_numeric_form(string written, string numeric)
    {
        Assert.Equal(Fires(numeric, 30), Fires(written, 30));
    }

    [Fact]
    public void Day_names_resolve_to_the_right_weekdays()
    {
        var fired = Fires("0 9 * * MON,wed", 4);

        Assert.All(fired, f => Assert.Contains(f.DayOfWeek, new[] { DayOfWeek.Monday, DayOfWeek.Wednesday }));
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero), fired[0]);
    }

    [Theory]
    [InlineData("0 25 * * *", "hour", "Invalid cron expression \"0 25 * * *\": hour field \"25\" is out of range 0-23.")]
    [InlineData("60 * * * *", "minute", "Invalid cron expression \"60 * * * *\": minute field \"60\" is out of range 0-59.")]
    [InlineData("61 0 * * * *", "second", "Invalid cron expression \"61 0 * * * *\": second field \"61\" is out of range 0-59.")]
    [InlineData("0 0 0 * *", "day-of-month", "Invalid cron expression \"0 0 0 * *\": day-of-month field \"0\" is out of range 1-31.")]
    [InlineData("0 0 1 13 *", "month", "Invalid cron expression \"0 0 1 13 *\": month field \"13\" is out of range 1-12.")]
    [InlineData("0 0 * * 8", "day-of-week", "Invalid cron expression \"0 0 * * 8\": day-of-week field \"8\" is out of range 0-7.")]
    [InlineData("0 1,25 * * *", "hour", "Invalid cron expression \"0 1,25 * * *\": hour field \"1,25\": \"25\" is out of range 0-23.")]
    [InlineData("0 9 * JANUARY *", "month", "Invalid cron expression \"0 9 * JANUARY *\": month field \"JANUARY\" is not a number or a month name (JAN-DEC).")]
    [InlineData("0 9 * * MONDAY", "day-of-week", "Invalid cron expression \"0 9 * * MONDAY\": day-of-week field \"MONDAY\" is not a number or a day name (SUN-SAT).")]
    [InlineData("*/0 * * * *", "minute", "Invalid cron expression \"*/0 * * * *\": minute field \"*/0\" has step 0; the step must be 1-60.")]
    [InlineData("0 5-1 * * *", "hour", "Invalid cron expression \"0 5-1 * * *\": hour field \"5-1\" is a backwards range; write the smaller value first.")]
    [InlineData("* * *", "expression", "Invalid cron expression \"* * *\": expected 5 fields (or 6 with seconds first), got 3.")]
    [InlineData("@reboot", "expression", "Invalid cron expression \"@reboot\": unknown macro \"@reboot\"; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly.")]
    public void Invalid_expressions_are_reported_with_the_field_and_token_at_fault(string expression, string field, string message)
    {
        var error = Assert.Throws<CronFormatException>(() => CronExpression.Parse(expression));

        Assert.Equal(message, error.Message);
        Assert.Equal(field, error.Field);
        Assert.Equal(expression, error.Expression);
    }

    [Theory]
    [InlineData("x * * * *", "minute", "x")]
    [InlineData("MON * * * *", "minute", "MON")]
    [InlineData("0 ? * * *", "hour", "?")]
    [InlineData("0 9 L * *", "day-of-month", "L")]
    [InlineData("0 9 * * 5#3", "day-of-week", "5#3")]
    [InlineData("0 9 15W * *", "day-of-month", "15W")]
    [InlineData("1,,2 * * * *", "minute", "1,,2")]
    [InlineData("1- * * * *", "minute", "1-")]
    [InlineData("*/2/3 * * * *", "minute", "*/2/3")]
    [InlineData("*/x * * * *", "minute", "x")]
    [InlineData("0 */25 * * *", "hour", "*/25")]
    [InlineData("0 0 32 * *", "day-of-month", "32")]
    [InlineData("0 0 * 0 *", "month", "0")]
    [InlineData("0 0 * FOO *", "month", "FOO")]
    [InlineData("0 0 * * SUN-FOO", "day-of-week", "FOO")]
    [InlineData("-1 * * * *", "minute", "-1")]
    [InlineData("0 0 * * * * *", "expression", "got 7")]
    [InlineData("", "expression", "got 0")]
    [InlineData("   ", "expression", "got 0")]
    public void Every_invalid_expression_names_its_field(string expression, string field, string token)
    {
        var error = Assert.Throws<CronFormatException>(() => CronExpression.Parse(expression));

        Assert.Equal(field, error.Field);
        Assert.StartsWith($"Invalid cron expression \"{expression}\": ", error.Message);
        if (field != "expression")
        {
            Assert.Contains($"{field} field \"", error.Message);
        }
        Assert.Contains(token, error.Message);
        Assert.EndsWith(".", error.Message);
    }

    [Fact]
    public void TryParse_reports_the_same_message_without_throwing()
    {
        var parsed = CronExpression.TryParse("0 25 * * *", out var result, out var error);

        Assert.False(parsed);
        Assert.Null(result);
        Assert.Equal("Invalid cron expression \"0 25 * * *\": hour field \"25\" is out of range 0-23.", error);
    }

    [Fact]
    public void TryParse_accepts_a_valid_expression_and_rejects_null()
    {
        Assert.True(CronExpression.TryParse("*/5 * * * *", out var result, out var error));
        Assert.NotNull(result);
        Assert.Null(error);

        Assert.False(CronExpression.TryParse(null, out _, out var nullError));
        Assert.Contains("got 0", nullError);
    }
}
