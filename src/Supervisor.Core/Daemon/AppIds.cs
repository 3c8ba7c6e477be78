using System.Globalization;

namespace Supervisor.Core.Daemon;

/// <summary>
/// PM2's numeric ids (`sup stop 0`): each app name gets the lowest number no other app holds,
/// kept in state.json so an id stays the app's across restarts, daemon restarts and
/// save/resurrect, and freed when the app is deleted. The one place a user's NAME|ID becomes a
/// name (<see cref="AppRegistry.Resolve"/> asks it).
/// </summary>
public sealed class AppIds(StateStore store)
{
    /// <summary>The app's id, given one now if it has none yet.</summary>
    public int For(string name)
    {
        var known = store.Read(s => s.Ids.TryGetValue(name, out var id) ? id : (int?)null);
        if (known is { } existing) return existing;
        var assigned = 0;
        store.Update(s =>
        {
            if (s.Ids.TryGetValue(name, out var raced)) { assigned = raced; return; }
            var taken = s.Ids.Values.ToHashSet();
            while (taken.Contains(assigned)) assigned++;
            s.Ids[name] = assigned;
        });
        return assigned;
    }

    /// <summary>The name holding the id <paramref name="token"/> is, or null when it is not an id in use.</summary>
    public string? NameOf(string token)
    {
        if (token.Length is 0 or > 9 || token.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0) return null;
        var id = int.Parse(token, CultureInfo.InvariantCulture);
        return store.Read(s => s.Ids.FirstOrDefault(p => p.Value == id).Key);
    }

    /// <summary>Deleted apps free their ids.</summary>
    public void Forget(IEnumerable<string> names)
    {
        var list = names.ToList();
        if (list.Count == 0) return;
        store.Update(s =>
        {
            foreach (var name in list) s.Ids.Remove(name);
        });
    }

    /// <summary>A deleted cluster frees the ids of its worker rows (NAME-0 ...).</summary>
    public void ForgetRowsOf(string cluster) =>
        store.Update(s =>
        {
            foreach (var row in s.Ids.Keys.Where(k => Supervision.Cluster.ClusterRows.IsRowOf(k, cluster)).ToList()) s.Ids.Remove(row);
        });
}
