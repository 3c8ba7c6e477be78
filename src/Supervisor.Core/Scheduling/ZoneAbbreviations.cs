using System.Globalization;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// "EDT", "CET", "IST": .NET on Linux names zones in long form ("Eastern Daylight Time") and has no
/// abbreviations, so use a short name when .NET has one, else a table of common zones, else the
/// offset ("UTC+10:30").
/// </summary>
internal static class ZoneAbbreviations
{
    private static readonly Dictionary<string, (string Standard, string Daylight)> Table = Build();

    public static string For(TimeZoneInfo zone, DateTimeOffset instant)
    {
        var daylight = zone.IsDaylightSavingTime(instant);
        var name = daylight ? zone.DaylightName : zone.StandardName;
        if (IsAbbreviation(name))
        {
            return name;
        }
        if (Table.TryGetValue(IanaId(zone), out var names))
        {
            return daylight ? names.Daylight : names.Standard;
        }
        var offset = zone.GetUtcOffset(instant);
        if (offset == TimeSpan.Zero)
        {
            return "UTC";
        }
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return "UTC" + sign + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
    }

    private static bool IsAbbreviation(string name) =>
        name.Length is >= 2 and <= 5 && name.All(char.IsAsciiLetterUpper);

    private static string IanaId(TimeZoneInfo zone) =>
        !zone.HasIanaId && TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : zone.Id;

    private static Dictionary<string, (string, string)> Build()
    {
        var table = new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase);
        void Add(string standard, string daylight, params string[] ids)
        {
            foreach (var id in ids)
            {
                table[id] = (standard, daylight);
            }
        }

        Add("EST", "EDT", "America/New_York", "America/Detroit", "America/Toronto", "America/Indiana/Indianapolis",
            "America/Kentucky/Louisville", "US/Eastern", "EST5EDT");
        Add("CST", "CDT", "America/Chicago", "America/Winnipeg", "US/Central", "CST6CDT");
        Add("MST", "MDT", "America/Denver", "America/Edmonton", "America/Boise", "US/Mountain", "MST7MDT");
        Add("MST", "MST", "America/Phoenix", "US/Arizona");
        Add("PST", "PDT", "America/Los_Angeles", "America/Vancouver", "America/Tijuana", "US/Pacific", "PST8PDT");
        Add("AKST", "AKDT", "America/Anchorage", "US/Alaska");
        Add("HST", "HST", "Pacific/Honolulu", "US/Hawaii");
        Add("AST", "ADT", "America/Halifax", "Atlantic/Bermuda");
        Add("NST", "NDT", "America/St_Johns");
        Add("AST", "AST", "America/Puerto_Rico");
        Add("CST", "CST", "America/Mexico_City", "America/Regina");
        Add("GMT", "BST", "Europe/London", "GB");
        Add("WET", "WEST", "Europe/Lisbon", "Atlantic/Canary", "Atlantic/Madeira");
        Add("CET", "CEST", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome", "Europe/Amsterdam",
            "Europe/Brussels", "Europe/Vienna", "Europe/Zurich", "Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen",
            "Europe/Prague", "Europe/Warsaw", "Europe/Budapest", "Europe/Belgrade", "Europe/Luxembourg", "Europe/Monaco",
            "Europe/Malta", "Europe/Bratislava", "Europe/Ljubljana", "Europe/Zagreb", "Europe/Andorra", "Europe/Gibraltar",
            "Europe/Tirane", "Europe/Sarajevo", "Europe/Skopje", "Europe/Podgorica", "Europe/Vaduz", "Africa/Ceuta", "CET");
        Add("EET", "EEST", "Europe/Athens", "Europe/Helsinki", "Europe/Kyiv", "Europe/Kiev", "Europe/Bucharest",
            "Europe/Sofia", "Europe/Riga", "Europe/Tallinn", "Europe/Vilnius", "Europe/Chisinau", "Asia/Nicosia",
            "Asia/Beirut", "Africa/Cairo", "EET");
        Add("MSK", "MSK", "Europe/Moscow");
        Add("IST", "IST", "Asia/Kolkata", "Asia/Calcutta");
        Add("PKT", "PKT", "Asia/Karachi");
        Add("IST", "IDT", "Asia/Jerusalem", "Asia/Tel_Aviv");
        Add("WIB", "WIB", "Asia/Jakarta");
        Add("CST", "CST", "Asia/Shanghai", "Asia/Taipei", "PRC");
        Add("HKT", "HKT", "Asia/Hong_Kong");
        Add("JST", "JST", "Asia/Tokyo", "Japan");
        Add("KST", "KST", "Asia/Seoul");
        Add("AWST", "AWST", "Australia/Perth");
        Add("ACST", "ACST", "Australia/Darwin");
        Add("ACST", "ACDT", "Australia/Adelaide", "Australia/Broken_Hill");
        Add("AEST", "AEST", "Australia/Brisbane", "Australia/Lindeman");
        Add("AEST", "AEDT", "Australia/Sydney", "Australia/Melbourne", "Australia/Hobart", "Australia/Canberra", "Australia/ACT", "Australia/NSW");
        Add("NZST", "NZDT", "Pacific/Auckland", "NZ");
        Add("SAST", "SAST", "Africa/Johannesburg");
        Add("WAT", "WAT", "Africa/Lagos");
        Add("EAT", "EAT", "Africa/Nairobi");
        return table;
    }
}
