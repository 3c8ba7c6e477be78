using System.Text;
using System.Text.RegularExpressions;

namespace Supervisor.Core.Readiness;

/// <summary>
/// `log:`: passes once a line of the app's stdout or stderr matches the pattern. The app's log
/// pump shows it each line (<see cref="Observe"/>); until the match that costs one decode and one
/// bounded regex match per line, after it one flag check.
/// </summary>
public sealed class LogLineProbe : IPassiveProbe
{
    /// <summary>A pattern that backtracks for longer than this on one line counts as no match there.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Only the start of a long line is matched: a ready line is short, and a 1 MiB line must not cost a 1 MiB string.</summary>
    public const int MaxMatchedBytes = 8 * 1024;

    private readonly Regex _regex;
    private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _matched;

    public LogLineProbe(LogProbeSpec spec)
    {
        What = spec.What;
        _regex = new Regex(spec.Pattern, RegexOptions.CultureInvariant, MatchTimeout);
    }

    public string What { get; }
    public Task Seen => _seen.Task;
    public string Pending => "no matching line yet";

    /// <summary>Called by the log pump for every line (without its newline), on the pump's thread.</summary>
    public void Observe(ReadOnlyMemory<byte> line)
    {
        if (_matched) return;
        var text = Encoding.UTF8.GetString(line.Span[..Math.Min(line.Length, MaxMatchedBytes)]);
        try
        {
            if (!_regex.IsMatch(text)) return;
        }
        catch (RegexMatchTimeoutException)
        {
            return;
        }
        _matched = true;
        _seen.TrySetResult();
    }

    public Task<ProbeResult> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult(_matched ? ProbeResult.Pass : ProbeResult.Fail(Pending));
}
