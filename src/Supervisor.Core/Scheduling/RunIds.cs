using System.Globalization;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// Hands out a job's run ids, <c>JOB-yyyyMMdd-HHmmss</c> in local time, unique within the job:
/// a second run in the same second gets <c>-2</c>, a third <c>-3</c>. Seeded with the last id in
/// the history, so a daemon restarted within the second does not repeat it. One owner per job.
/// </summary>
public sealed class RunIds(string job, string? lastIssued = null)
{
    private string? _lastBase = BaseOf(lastIssued);
    private int _sameSecond = lastIssued is null ? 0 : SuffixOf(lastIssued);

    public string Next(DateTimeOffset localStart)
    {
        var id = job + "-" + localStart.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        if (id == _lastBase)
        {
            _sameSecond++;
            return id + "-" + _sameSecond.ToString(CultureInfo.InvariantCulture);
        }
        _lastBase = id;
        _sameSecond = 1;
        return id;
    }

    // "web-20261203-090000-2" → base "web-20261203-090000", suffix 2; "web-20261203-090000" → suffix 1.
    private static string? BaseOf(string? id) =>
        id is null ? null : SuffixStart(id) is int at ? id[..at] : id;

    private static int SuffixOf(string id) =>
        SuffixStart(id) is int at ? int.Parse(id.AsSpan(at + 1), CultureInfo.InvariantCulture) : 1;

    private static int? SuffixStart(string id)
    {
        // The id proper ends in -yyyyMMdd-HHmmss (8 and 6 digits); anything after is the suffix.
        var dash = id.LastIndexOf('-');
        if (dash <= 0 || id.Length - dash - 1 == 6) return null;
        var rest = id.AsSpan(dash + 1);
        return rest.Length is > 0 and < 6 && !rest.ContainsAnyExcept("0123456789") ? dash : null;
    }
}
