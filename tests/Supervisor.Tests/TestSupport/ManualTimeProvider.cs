namespace Supervisor.Tests.TestSupport;

/// <summary>
/// A clock the test moves by hand: timers (and so Task.Delay and Polly delays on it) fire
/// only when <see cref="Advance"/> passes their due time. Exact and instant.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;
    // How far the monotonic clock is behind the wall clock: what Suspend added (it stops in a suspend).
    private TimeSpan _slept;

    public ManualTimeProvider() : this(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Monotonic time moves with the manual clock too (stopwatch-style measurements).</summary>
    public override long GetTimestamp()
    {
        lock (_gate) return (_now - _slept).UtcTicks;
    }

    /// <summary>Number of armed timers, so a test can wait until the code under test is waiting.</summary>
    public int PendingTimers
    {
        get { lock (_gate) return _timers.Count(t => t.Due is not null); }
    }

    /// <summary>When each armed timer fires, so a test can wait for a specific wait to begin.</summary>
    public IReadOnlyList<DateTimeOffset> DueTimes
    {
        get { lock (_gate) return _timers.Where(t => t.Due is not null).Select(t => t.Due!.Value).Order().ToList(); }
    }

    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_gate) target = _now + by;
        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due is { } d && d <= target).MinBy(t => t.Due);
                if (next is null) { _now = target; return; }
                _now = next.Due!.Value;
                next.Due = next.Period is { } p && p > TimeSpan.Zero ? _now + p : null;
            }
            next.Fire();
        }
    }

    /// <summary>
    /// The wall clock jumps (the machine slept, or someone set the clock) without firing anything:
    /// timers run on the monotonic clock, so each keeps the time it had left.
    /// </summary>
    public void Jump(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
            foreach (var timer in _timers)
                if (timer.Due is { } due) timer.Due = due + by;
        }
    }

    /// <summary>
    /// The machine sleeps for <paramref name="by"/>: the wall clock jumps as in <see cref="Jump"/>,
    /// and the monotonic clock (<see cref="GetTimestamp"/>) does not move, as CLOCK_MONOTONIC
    /// on Linux, so the wall clock runs ahead of it from now on.
    /// </summary>
    public void Suspend(TimeSpan by)
    {
        lock (_gate) // Lock is re-entrant: Jump takes it too, and no reader sees one clock moved without the other
        {
            Jump(by);
            _slept += by;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_gate) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }
        public TimeSpan? Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan ? null : period;
            }
            if (dueTime == TimeSpan.Zero) owner.Advance(TimeSpan.Zero);
            return true;
        }

        public void Dispose()
        {
            lock (owner._gate) owner._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
