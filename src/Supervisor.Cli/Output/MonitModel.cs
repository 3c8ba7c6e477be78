using Supervisor.Core.Protocol;

namespace Supervisor.Cli.Output;

/// <summary>
/// What `sup monit` shows, fed by the daemon's `monit.update` notifications: the apps, the
/// selected one (kept by name when the list changes), and a short cpu/memory history per app.
/// </summary>
public sealed class MonitModel
{
    public const int HistoryLength = 60;

    private readonly Dictionary<string, Queue<(double Cpu, double Memory)>> _history = new(StringComparer.Ordinal);

    public IReadOnlyList<AppInfo> Apps { get; private set; } = [];
    public string? SelectedName { get; private set; }
    public DateTimeOffset? At { get; private set; }

    public AppInfo? Selected => Apps.FirstOrDefault(a => a.Name == SelectedName);
    public int SelectedIndex => Apps.ToList().FindIndex(a => a.Name == SelectedName);

    public void Apply(MonitUpdate update)
    {
        Apps = update.Apps;
        At = DateTimeOffset.TryParse(update.At, System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : null;
        foreach (var app in Apps)
        {
            if (!_history.TryGetValue(app.Name, out var samples)) _history[app.Name] = samples = new Queue<(double, double)>();
            samples.Enqueue((app.Cpu ?? 0, app.Memory ?? 0));
            while (samples.Count > HistoryLength) samples.Dequeue();
        }
        foreach (var gone in _history.Keys.Where(name => Apps.All(a => a.Name != name)).ToList()) _history.Remove(gone);
        if (Selected is null) SelectedName = Apps.Count == 0 ? null : Apps[Math.Clamp(SelectedIndexOr(0), 0, Apps.Count - 1)].Name;
    }

    /// <summary>Moves the selection by <paramref name="delta"/> rows, stopping at either end.</summary>
    public void Move(int delta)
    {
        if (Apps.Count == 0) return;
        var index = Math.Clamp(SelectedIndexOr(0) + delta, 0, Apps.Count - 1);
        SelectedName = Apps[index].Name;
    }

    public IReadOnlyList<double> CpuHistory(string name) =>
        _history.TryGetValue(name, out var samples) ? samples.Select(s => s.Cpu).ToList() : [];

    public IReadOnlyList<double> MemoryHistory(string name) =>
        _history.TryGetValue(name, out var samples) ? samples.Select(s => s.Memory).ToList() : [];

    private int SelectedIndexOr(int fallback) => SelectedIndex is var i and >= 0 ? i : fallback;
}
