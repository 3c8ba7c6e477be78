namespace Supervisor.Core.Scheduling;

/// <summary>
/// A cron expression that cannot be parsed. The message is one complete sentence naming the
/// expression, the field and the token at fault, e.g.
/// <c>Invalid cron expression "0 25 * * *": hour field "25" is out of range 0-23.</c>
/// </summary>
public sealed class CronFormatException : FormatException
{
    public CronFormatException(string message, string field, string expression)
        : base(message)
    {
        Field = field;
        Expression = expression;
    }

    /// <summary>
    /// The field at fault: "second", "minute", "hour", "day-of-month", "month" or "day-of-week";
    /// "expression" when the problem is the whole text (wrong field count, unknown macro).
    /// </summary>
    public string Field { get; }

    /// <summary>The text as the user wrote it.</summary>
    public string Expression { get; }
}
