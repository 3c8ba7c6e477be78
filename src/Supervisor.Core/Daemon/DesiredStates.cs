namespace Supervisor.Core.Daemon;

/// <summary>
/// What the user last asked of each app ("running" after start/restart, "stopped" after stop),
/// kept in state.json so an app a user stopped stays stopped across daemon restarts and reboots.
/// Only user commands write it; a daemon shutdown stops apps without changing what is desired.
/// </summary>
public sealed class DesiredStates(StateStore store)
{
    public const string Running = "running";
    public const string Stopped = "stopped";

    public void Want(string name, bool running) => store.Update(s => s.Desired[name] = running ? Running : Stopped);

    public void Want(IEnumerable<string> names, bool running)
    {
        var list = names.ToList();
        if (list.Count == 0) return;
        store.Update(s =>
        {
            foreach (var name in list) s.Desired[name] = running ? Running : Stopped;
        });
    }

    /// <summary>A deleted app has no wish left; a new app of that name starts with a clean slate.</summary>
    public void Forget(IEnumerable<string> names)
    {
        var list = names.ToList();
        if (list.Count == 0) return;
        store.Update(s =>
        {
            foreach (var name in list) s.Desired.Remove(name);
        });
    }

    /// <summary>True only when the user stopped it; an app never touched is wanted running.</summary>
    public bool WantsStopped(string name) => store.Read(s => s.Desired.GetValueOrDefault(name) == Stopped);
}
