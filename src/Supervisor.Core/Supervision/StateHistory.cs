namespace Supervisor.Core.Supervision;

/// <summary>The last state changes of an app, as `sup describe` shows them: bounded, oldest first, immutable.</summary>
public static class StateHistory
{
    public const int Length = 20;

    public static IReadOnlyList<StateChange> Append(IReadOnlyList<StateChange> history, StateChange change) =>
        history.Count >= Length
            ? [.. history.Skip(history.Count - Length + 1), change]
            : new List<StateChange>(history) { change };
}
