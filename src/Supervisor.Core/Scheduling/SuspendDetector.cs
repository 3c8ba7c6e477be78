using Microsoft.Extensions.Logging;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// Notices that the machine slept: between two ticks the wall clock ran ahead of the monotonic
/// clock (which stops during suspend on Linux, CLOCK_MONOTONIC) by more than a threshold. It logs
/// the wake in daemon.log and cancels <see cref="WakeToken"/>, so every job's trigger looks at the
/// time again at once instead of up to a minute later; each job then applies run_missed once for
/// the slots it slept through (JobSupervisor.Schedule.cs). A wall clock set ahead by hand looks
/// the same and is treated the same. logind's PrepareForSleep (D-Bus) is not used: the clock
/// comparison needs no bus and no extra dependency in the native build.
/// </summary>
public sealed class SuspendDetector
{
    /// <summary>How often the clocks are compared (on the monotonic clock).</summary>
    public static readonly TimeSpan DefaultTick = TimeSpan.FromSeconds(10);
    /// <summary>A gap under this is scheduling noise or an NTP step, not a sleep.</summary>
    public static readonly TimeSpan DefaultThreshold = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private readonly TimeSpan _threshold;
    private readonly Lock _gate = new();
    private DateTimeOffset _lastWall;
    private long _lastMonotonic;
    private CancellationTokenSource _wake = new();

    public SuspendDetector(TimeProvider time, TimeSpan? threshold = null)
    {
        _time = time;
        _threshold = threshold ?? DefaultThreshold;
        (_lastWall, _lastMonotonic) = (time.GetUtcNow(), time.GetTimestamp());
    }

    /// <summary>Cancelled at the next detected wake, then replaced: read it anew before each wait.</summary>
    public CancellationToken WakeToken
    {
        get { lock (_gate) return _wake.Token; }
    }

    /// <summary>
    /// Compares the clocks since the last call. Returns how long the machine slept (wall time
    /// that passed with no monotonic time) when more than the threshold, else null.
    /// </summary>
    public TimeSpan? Check()
    {
        var wall = _time.GetUtcNow();
        var monotonic = _time.GetTimestamp();
        TimeSpan gap;
        CancellationTokenSource? woke = null;
        lock (_gate)
        {
            gap = wall - _lastWall - _time.GetElapsedTime(_lastMonotonic, monotonic);
            (_lastWall, _lastMonotonic) = (wall, monotonic);
            if (gap > _threshold)
            {
                woke = _wake;
                _wake = new CancellationTokenSource();
            }
        }
        if (woke is null) return null;
        woke.Cancel();
        woke.Dispose();
        return gap;
    }

    /// <summary>Checks every <paramref name="tick"/> until cancelled, logging each wake.</summary>
    public async Task RunAsync(ILogger log, TimeSpan? tick, CancellationToken cancellationToken)
    {
        var every = tick ?? DefaultTick;
        try
        {
            while (true)
            {
                await Task.Delay(every, _time, cancellationToken);
                if (Check() is { } slept)
                    log.LogWarning("the machine woke from a suspend of about {Slept}: the wall clock ran that far ahead of the monotonic clock (or was set ahead); jobs that missed runs apply run_missed once",
                        HumanTime.Duration(RoundToSeconds(slept)));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static TimeSpan RoundToSeconds(TimeSpan t) => TimeSpan.FromSeconds(Math.Round(t.TotalSeconds));
}
