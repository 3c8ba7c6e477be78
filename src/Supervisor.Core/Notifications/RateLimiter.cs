using Supervisor.Core.Events;

namespace Supervisor.Core.Notifications;

/// <summary>
/// One notification per app per event kind per window (a minute), then a summary: the first
/// event of a kind goes out and opens a window; the ones inside it are held back and counted;
/// when the window closes with any held back, one summary goes out and opens the next window,
/// so a crash loop is one message a minute. A window that closes quiet is forgotten. Pure: the
/// caller passes the time (tests use an exact clock).
/// </summary>
public sealed class RateLimiter(TimeSpan window)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(1);

    private sealed class Window(DateTimeOffset closes)
    {
        public DateTimeOffset Closes = closes;
        public int Held;
        public SupEvent? Last;
    }

    private readonly Dictionary<(string App, EventKind Kind), Window> _windows = [];

    public TimeSpan Length => window;

    /// <summary>True when the event goes out now; false when it is held back for the summary.</summary>
    public bool TryAdmit(SupEvent e, DateTimeOffset now)
    {
        var key = (e.App ?? "", e.Kind);
        if (_windows.TryGetValue(key, out var open) && now < open.Closes)
        {
            open.Held++;
            open.Last = e;
            return false;
        }
        _windows[key] = new Window(now + window);
        return true;
    }

    /// <summary>When the next window closes, if any is open.</summary>
    public DateTimeOffset? NextClose => _windows.Count == 0 ? null : _windows.Values.Min(w => w.Closes);

    /// <summary>Closes the windows due at <paramref name="now"/>: the summaries to send (last event, how many held).</summary>
    public IReadOnlyList<(SupEvent Last, int Held)> Close(DateTimeOffset now)
    {
        var summaries = new List<(SupEvent, int)>();
        foreach (var (key, open) in _windows.ToList())
        {
            if (now < open.Closes) continue;
            if (open.Held > 0)
            {
                summaries.Add((open.Last!, open.Held));
                _windows[key] = new Window(now + window); // the summary counts as this window's one
            }
            else _windows.Remove(key);
        }
        return summaries;
    }
}
