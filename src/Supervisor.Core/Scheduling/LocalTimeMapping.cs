namespace Supervisor.Core.Scheduling;

internal enum LocalTimeKind
{
    /// <summary>The wall-clock time happens exactly once.</summary>
    Normal,

    /// <summary>The clocks jumped forward over this time (spring forward): it never happens.</summary>
    Gap,

    /// <summary>The clocks were set back over this time (fall back): it happens twice.</summary>
    Overlap,
}

/// <summary>
/// How one wall-clock time maps to instants in a zone. Offsets and instants are in ticks.
/// For <see cref="LocalTimeKind.Normal"/> only <see cref="OffsetBefore"/> is meaningful. For a gap or
/// an overlap, the zone's offset is <see cref="OffsetBefore"/> until <see cref="TransitionUtcTicks"/>
/// and <see cref="OffsetAfter"/> from then on.
/// </summary>
internal readonly record struct LocalTimeMapping(LocalTimeKind Kind, long OffsetBefore, long OffsetAfter, long TransitionUtcTicks)
{
    public static LocalTimeMapping Normal(long offset) => new(LocalTimeKind.Normal, offset, offset, 0);

    public long Offset => OffsetBefore;

    /// <summary>Gap or overlap: the first wall-clock time after the affected range.</summary>
    public long RangeEndLocalTicks => TransitionUtcTicks + Math.Max(OffsetBefore, OffsetAfter);

    /// <summary>Gap or overlap: the first wall-clock time of the affected range.</summary>
    public long RangeStartLocalTicks => TransitionUtcTicks + Math.Min(OffsetBefore, OffsetAfter);
}
