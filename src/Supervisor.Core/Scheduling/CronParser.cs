using System.Globalization;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// Turns cron text into field masks. Reports the first problem as a
/// <see cref="CronFormatException"/> instead of throwing, so TryParse stays cheap.
/// </summary>
internal static class CronParser
{
    private const string FieldCountHint = "expected 5 fields (or 6 with seconds first)";

    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    private static readonly char[] Whitespace = [' ', '\t', '\r', '\n'];

    public static CronFormatException? TryParse(string expression, out CronFieldSet? fields, out bool hasSeconds)
    {
        fields = null;
        hasSeconds = false;
        var text = expression.Trim();

        if (text.StartsWith('@'))
        {
            if (!Macros.TryGetValue(text, out var expanded))
            {
                return WholeExpressionError(expression,
                    $"unknown macro \"{text}\"; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly");
            }
            text = expanded;
        }

        var parts = text.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is not (5 or 6))
        {
            return WholeExpressionError(expression, $"{FieldCountHint}, got {parts.Length}");
        }

        hasSeconds = parts.Length == 6;
        var offset = hasSeconds ? 1 : 0;
        ulong seconds = 1; // second 0 only, for 5-field expressions
        if (hasSeconds && ParseField(expression, parts[0], CronField.Second, out seconds) is { } secondError)
        {
            return secondError;
        }

        var rules = new[] { CronField.Minute, CronField.Hour, CronField.DayOfMonth, CronField.Month, CronField.DayOfWeek };
        var masks = new ulong[rules.Length];
        for (var i = 0; i < rules.Length; i++)
        {
            if (ParseField(expression, parts[i + offset], rules[i], out masks[i]) is { } error)
            {
                return error;
            }
        }

        var dayOfWeek = masks[4];
        if ((dayOfWeek & (1UL << 7)) != 0)
        {
            dayOfWeek = (dayOfWeek | 1UL) & ~(1UL << 7);
        }

        var hourText = parts[1 + offset];
        fields = new CronFieldSet(
            seconds: seconds,
            minutes: masks[0],
            hours: (uint)masks[1],
            daysOfMonth: (uint)masks[2],
            months: (ushort)masks[3],
            daysOfWeek: (byte)dayOfWeek,
            dayOfMonthIsStar: IsStar(parts[2 + offset]),
            dayOfWeekIsStar: IsStar(parts[4 + offset]),
            followsRealTime: hourText.Contains('*') || hourText.Contains('/'));
        return null;
    }

    // Vixie cron treats a day field that begins with '*' (also "*/2") as unrestricted when
    // deciding between "both day fields must match" and "either may match".
    private static bool IsStar(string field) => field[0] is '*' or '?';

    private static CronFormatException? ParseField(string expression, string text, CronField rule, out ulong mask)
    {
        mask = 0;
        foreach (var item in text.Split(','))
        {
            if (item.Length == 0)
            {
                return FieldError(expression, rule, text, text, "has an empty list item");
            }
            if (ParseItem(expression, text, item, rule, ref mask) is { } error)
            {
                return error;
            }
        }
        return null;
    }

    private static CronFormatException? ParseItem(string expression, string fieldText, string item, CronField rule, ref ulong mask)
    {
        var slash = item.IndexOf('/');
        var rangeText = slash < 0 ? item : item[..slash];
        var stepText = slash < 0 ? null : item[(slash + 1)..];
        if (stepText is not null && stepText.Contains('/'))
        {
            return FieldError(expression, rule, fieldText, item, "has more than one \"/\"");
        }

        int low, high;
        if (rangeText is "*" or "?")
        {
            if (rangeText == "?" && !rule.AllowsQuestionMark)
            {
                return FieldError(expression, rule, fieldText, item,
                    "uses \"?\", which is only allowed in day-of-month and day-of-week");
            }
            (low, high) = (rule.Min, rule.Max);
        }
        else if (rangeText.IndexOf('-') is var dash and >= 0)
        {
            var lowText = rangeText[..dash];
            var highText = rangeText[(dash + 1)..];
            if (lowText.Length == 0 || highText.Length == 0)
            {
                return FieldError(expression, rule, fieldText, rangeText, "is an incomplete range");
            }
            if (ParseValue(expression, fieldText, lowText, rule, out low) is { } lowError)
            {
                return lowError;
            }
            if (ParseValue(expression, fieldText, highText, rule, out high) is { } highError)
            {
                return highError;
            }
            // "FRI-SUN" reads naturally; SUN is 0, so let a range end on Sunday as 7.
            if (ReferenceEquals(rule, CronField.DayOfWeek) && high == 0 && low > 0)
            {
                high = 7;
            }
            if (low > high)
            {
                return FieldError(expression, rule, fieldText, rangeText, "is a backwards range; write the smaller value first");
            }
        }
        else
        {
            if (ParseValue(expression, fieldText, rangeText, rule, out low) is { } valueError)
            {
                return valueError;
            }
            // "5/15" means from 5 to the end of the field, every 15.
            high = stepText is null ? low : rule.Max;
        }

        var step = 1;
        if (stepText is not null)
        {
            var maxStep = rule.Max - rule.Min + 1;
            if (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step))
            {
                return FieldError(expression, rule, fieldText, stepText, "is not a number");
            }
            if (step < 1 || step > maxStep)
            {
                return FieldError(expression, rule, fieldText, item, $"has step {step}; the step must be 1-{maxStep}");
            }
        }

        for (var value = low; value <= high; value += step)
        {
            mask |= 1UL << value;
        }
        return null;
    }

    private static CronFormatException? ParseValue(string expression, string fieldText, string token, CronField rule, out int value)
    {
        if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return value < rule.Min || value > rule.Max
                ? FieldError(expression, rule, fieldText, token, $"is out of range {rule.Min}-{rule.Max}")
                : null;
        }

        if (rule.Names is { } names)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (names[i].Length > 0 && string.Equals(names[i], token, StringComparison.OrdinalIgnoreCase))
                {
                    value = i;
                    return null;
                }
            }
        }

        if (rule.AllowsQuestionMark && token.AsSpan().IndexOfAny("LlWw#") >= 0)
        {
            return FieldError(expression, rule, fieldText, token, "uses L, W or #, which are not supported");
        }
        var what = rule.NamesHint is null ? "is not a number" : $"is not a number or {rule.NamesHint}";
        return FieldError(expression, rule, fieldText, token, what);
    }

    private static CronFormatException FieldError(string expression, CronField rule, string fieldText, string token, string predicate)
    {
        var detail = token == fieldText
            ? $"{rule.Name} field \"{fieldText}\" {predicate}"
            : $"{rule.Name} field \"{fieldText}\": \"{token}\" {predicate}";
        return new CronFormatException($"Invalid cron expression \"{expression}\": {detail}.", rule.Name, expression);
    }

    private static CronFormatException WholeExpressionError(string expression, string detail) =>
        new($"Invalid cron expression \"{expression}\": {detail}.", "expression", expression);
}
