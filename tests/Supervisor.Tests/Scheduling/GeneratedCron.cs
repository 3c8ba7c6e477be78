namespace Supervisor.Tests.Scheduling;

/// <summary>
/// A random cron expression together with the sets of values it means, computed by the generator
/// itself, so the brute-force reference never relies on the parser under test.
/// </summary>
internal sealed record GeneratedCron(
    string Text,
    bool[] Seconds,
    bool[] Minutes,
    bool[] Hours,
    bool[] DaysOfMonth,
    bool[] Months,
    bool[] DaysOfWeek,
    bool DayOfMonthIsStar,
    bool DayOfWeekIsStar,
    bool FollowsRealTime)
{
    private static readonly string[] MonthNames = ["", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    public override string ToString() => Text;

    /// <param name="random">The seeded source.</param>
    /// <param name="aroundClockChanges">Favour the early-morning hours in which clocks change, and days that are not restricted.</param>
    public static GeneratedCron Create(Random random, bool aroundClockChanges = false)
    {
        var dayStarWeight = aroundClockChanges ? 0.9 : 0.65;
        int[] favouriteHours = aroundClockChanges ? [1, 2, 2, 3] : [0, 1, 2, 3, 23];
        var withSeconds = random.Next(4) == 0;
        var seconds = new bool[60];
        string? secondText = null;
        if (withSeconds)
        {
            (secondText, seconds) = Field(random, 0, 59, starWeight: 0.2, favourite: [0, 30, 59], names: null);
        }
        else
        {
            seconds[0] = true;
        }

        var (minuteText, minutes) = Field(random, 0, 59, starWeight: 0.15, favourite: [0, 15, 30, 45, 59], names: null);
        var (hourText, hours) = Field(random, 0, 23, starWeight: 0.3, favourite: favouriteHours, names: null, favouriteWeight: aroundClockChanges ? 0.8 : 0.33);
        var (domText, dom) = Field(random, 1, 31, starWeight: dayStarWeight, favourite: [1, 15, 28, 29, 30, 31], names: null);
        var (monthText, months) = Field(random, 1, 12, starWeight: aroundClockChanges ? 0.9 : 0.8, favourite: [2, 3, 4, 10, 11, 12], names: MonthNames);
        var (dowText, dowRaw) = Field(random, 0, 7, starWeight: dayStarWeight, favourite: [0, 1, 5, 6, 7], names: DayNames);

        if (domText == "*" && random.Next(6) == 0)
        {
            domText = "?";
        }
        if (dowText == "*" && random.Next(6) == 0)
        {
            dowText = "?";
        }

        var dow = new bool[7];
        for (var d = 0; d <= 7; d++)
        {
            dow[d % 7] |= dowRaw[d];
        }

        var text = string.Join(' ', new[] { secondText, minuteText, hourText, domText, monthText, dowText }.Where(f => f is not null));
        return new GeneratedCron(text, seconds, minutes, hours, dom, months, dow,
            DayOfMonthIsStar: domText[0] is '*' or '?',
            DayOfWeekIsStar: dowText[0] is '*' or '?',
            FollowsRealTime: hourText.Contains('*') || hourText.Contains('/'));
    }

    public bool MatchesDate(DateTime local)
    {
        if (!Months[local.Month])
        {
            return false;
        }
        var dayOfMonth = DaysOfMonth[local.Day];
        var dayOfWeek = DaysOfWeek[(int)local.DayOfWeek];
        return DayOfMonthIsStar || DayOfWeekIsStar ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek;
    }

    public bool MatchesMinute(DateTime local) => MatchesDate(local) && Hours[local.Hour] && Minutes[local.Minute];

    private static (string Text, bool[] Set) Field(
        Random random, int min, int max, double starWeight, int[] favourite, string[]? names, double favouriteWeight = 0.33)
    {
        var set = new bool[max + 1];
        if (random.NextDouble() < starWeight)
        {
            if (random.Next(4) == 0)
            {
                var step = random.Next(1, Math.Min(max - min + 1, 20) + 1);
                Mark(set, min, max, step);
                return ($"*/{step}", set);
            }
            Mark(set, min, max, 1);
            return ("*", set);
        }

        var items = new List<string>();
        var count = random.Next(4) == 0 ? random.Next(2, 4) : 1;
        for (var i = 0; i < count; i++)
        {
            items.Add(Item(random, min, max, favourite, favouriteWeight, names, set));
        }
        return (string.Join(',', items), set);
    }

    private static string Item(Random random, int min, int max, int[] favourite, double favouriteWeight, string[]? names, bool[] set)
    {
        int Value() => random.NextDouble() < favouriteWeight ? favourite[random.Next(favourite.Length)] : random.Next(min, max + 1);
        string Name(int value) =>
            names is not null && value < names.Length && names[value].Length > 0 && random.Next(3) == 0
                ? Casing(random, names[value])
                : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

        switch (random.Next(5))
        {
            case 0:
            case 1:
            {
                var value = Value();
                set[value] = true;
                return Name(value);
            }
            case 2:
            {
                var (low, high) = Ordered(Value(), Value());
                Mark(set, low, high, 1);
                return $"{Name(low)}-{Name(high)}";
            }
            case 3:
            {
                var (low, high) = Ordered(Value(), Value());
                var step = random.Next(1, max - min + 2);
                Mark(set, low, high, step);
                return $"{Name(low)}-{Name(high)}/{step}";
            }
            default:
            {
                var start = Value();
                var step = random.Next(1, max - min + 2);
                Mark(set, start, max, step);
                return $"{start}/{step}";
            }
        }
    }

    private static (int, int) Ordered(int a, int b) => a <= b ? (a, b) : (b, a);

    private static void Mark(bool[] set, int low, int high, int step)
    {
        for (var value = low; value <= high; value += step)
        {
            set[value] = true;
        }
    }

    private static string Casing(Random random, string name) => random.Next(3) switch
    {
        0 => name.ToLowerInvariant(),
        1 => name[0] + name[1..].ToLowerInvariant(),
        _ => name,
    };
}
