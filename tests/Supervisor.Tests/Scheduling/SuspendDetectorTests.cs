using Supervisor.Core.Config;
using Supervisor.Core.Scheduling;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.Scheduling;

/// <summary>A suspend is the wall clock running ahead of the monotonic clock; on wake each job applies run_missed once.</summary>
public sealed class SuspendDetectorTests
{
    private static readonly DateTimeOffset T0 = JobHarness.DefaultStart;

    [Fact]
    public void Time_passing_on_both_clocks_is_not_a_suspend()
    {
        var time = new ManualTimeProvider(T0);
        var detector = new SuspendDetector(time);

        time.Advance(TimeSpan.FromHours(5));

        Assert.Null(detector.Check());
        Assert.False(detector.WakeToken.IsCancellationRequested);
    }

    [Fact]
    public void A_wall_clock_ahead_of_the_monotonic_clock_is_a_suspend_of_that_length_seen_once()
    {
        var time = new ManualTimeProvider(T0);
        var detector = new SuspendDetector(time);
        var before = detector.WakeToken;

        time.Advance(TimeSpan.FromSeconds(10));
        time.Suspend(TimeSpan.FromHours(2));
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromHours(2), detector.Check());
        Assert.True(before.IsCancellationRequested);
        Assert.False(detector.WakeToken.IsCancellationRequested);
        Assert.Null(detector.Check());
    }

    [Fact]
    public void A_gap_under_the_threshold_is_noise()
    {
        var time = new ManualTimeProvider(T0);
        var detector = new SuspendDetector(time, threshold: TimeSpan.FromSeconds(30));

        time.Suspend(TimeSpan.FromSeconds(29));

        Assert.Null(detector.Check());
    }

    [Fact]
    public async Task The_detector_logs_the_wake_on_its_tick()
    {
        var time = new ManualTimeProvider(T0);
        var detector = new SuspendDetector(time);
        var log = new LogCapture();
        using var stop = new CancellationTokenSource();
        var loop = detector.RunAsync(new Microsoft.Extensions.Logging.LoggerFactory([log]).CreateLogger("daemon"), TimeSpan.FromSeconds(10), stop.Token);

        await Eventually.ValueAsync(() => Task.FromResult(time.PendingTimers), n => n == 1, TimeSpan.FromSeconds(10), "the tick armed");
        time.Suspend(TimeSpan.FromMinutes(90));
        time.Advance(TimeSpan.FromSeconds(10));

        await Eventually.ValueAsync(() => Task.FromResult(log.Lines.ToList()), l => l.Any(x => x.Contains("woke from a suspend of about 1h 30m", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the wake logged");
        await stop.CancelAsync();
        await loop;
    }

    [Fact]
    public async Task On_wake_a_job_with_run_missed_runs_once_at_once_for_the_slot_it_slept_through()
    {
        await using var h = JobHarness.Create(new JobSpec { Every = TimeSpan.FromMinutes(10), RunMissed = true },
            script: "echo \"$SUP_TRIGGER $SUP_SCHEDULED_AT\" >> runs.txt", detectSuspend: true);
        await h.StartAsync();
        await h.NextRunIsAsync(T0.AddMinutes(10));
        await h.AdvanceToAsync(T0.AddMinutes(5));
        await h.TimersAsync();

        h.Time.Suspend(TimeSpan.FromHours(3));
        Assert.Equal(TimeSpan.FromHours(3), h.Context.Suspends!.Check());

        // No clock advance: the wake itself lets the trigger look at the time.
        var run = Assert.Single(await h.RunsAsync(1));
        Assert.Equal("missed", run.Trigger);
        Assert.Equal(T0.AddHours(3).AddMinutes(5), DateTimeOffset.Parse(run.Start));
        Assert.Equal(["missed 2026-11-22T09:10:00+00:00"], File.ReadAllLines(h.PathOf("runs.txt")));
        await h.NextRunIsAsync(T0.AddHours(3).AddMinutes(10));

        // Exactly once: the next slot is an ordinary one.
        await h.AdvanceToAsync(T0.AddHours(3).AddMinutes(10));
        var runs = await h.RunsAsync(2);
        Assert.Equal(["missed", "every"], runs.Select(r => r.Trigger));
    }
}
