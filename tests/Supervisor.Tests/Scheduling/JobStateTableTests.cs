using Supervisor.Core.Scheduling;
using Supervisor.Core.Supervision;
using Xunit;
using Event = Supervisor.Core.Scheduling.JobSupervisor.JobEvent;
using Phase = Supervisor.Core.Scheduling.JobSupervisor.JobPhase;

namespace Supervisor.Tests.Scheduling;

/// <summary>The (phase, event) table of a job, read as docs/jobs.md and `sup jobs` show its statuses.</summary>
public sealed class JobStateTableTests
{
    private static readonly AppStatus[] Resting =
        [AppStatus.Stopped, AppStatus.Scheduled, AppStatus.Disabled, AppStatus.Paused, AppStatus.Errored];

    [Fact]
    public void A_job_with_a_run_going_shows_running_whatever_it_rests_in_and_its_last_run_ending_shows_where_it_rests()
    {
        foreach (var resting in Resting)
        {
            var running = JobSupervisor.Next(new Phase(resting, 0), Event.RunStarted);
            Assert.Equal(AppStatus.Running, running?.Status);
            var overlapping = JobSupervisor.Next(running!.Value, Event.RunStarted); // file runs overlap
            Assert.Equal(2, overlapping?.Runs);
            var oneLeft = JobSupervisor.Next(overlapping!.Value, Event.RunEnded);
            Assert.Equal(AppStatus.Running, oneLeft?.Status);
            Assert.Equal(resting, JobSupervisor.Next(oneLeft!.Value, Event.RunEnded)?.Status);
        }
    }

    [Fact]
    public void A_run_cannot_end_when_none_is_going()
    {
        foreach (var resting in Resting)
            Assert.Null(JobSupervisor.Next(new Phase(resting, 0), Event.RunEnded));
    }

    [Fact]
    public void A_stop_is_done_only_once_its_runs_are_cancelled_and_the_runs_it_cancels_end_in_stopped()
    {
        foreach (var resting in Resting)
        {
            Assert.Equal(new Phase(AppStatus.Stopped, 0), JobSupervisor.Next(new Phase(resting, 0), Event.Stopped));
            Assert.Null(JobSupervisor.Next(new Phase(resting, 1), Event.Stopped));
            // Nothing to cancel: the stop goes straight to Stopped.
            Assert.Null(JobSupervisor.Next(new Phase(resting, 0), Event.Stopping));

            var stopping = JobSupervisor.Next(new Phase(resting, 1), Event.Stopping);
            Assert.Equal(AppStatus.Running, stopping?.Status); // still running until the run is gone
            Assert.Equal(AppStatus.Stopped, JobSupervisor.Next(stopping!.Value, Event.RunEnded)?.Status);
        }
    }

    [Fact]
    public void Only_an_armed_trigger_can_fail()
    {
        foreach (var resting in Resting)
            foreach (var runs in new[] { 0, 1 })
                Assert.Equal(resting == AppStatus.Scheduled ? new Phase(AppStatus.Errored, runs) : null,
                    JobSupervisor.Next(new Phase(resting, runs), Event.TriggerFailed));
    }

    [Fact]
    public void Arming_settles_where_the_schedule_says_and_leaves_a_run_going()
    {
        var settled = new Dictionary<Event, AppStatus>
        {
            [Event.Armed] = AppStatus.Scheduled,
            [Event.Disabled] = AppStatus.Disabled,
            [Event.Paused] = AppStatus.Paused,
            [Event.Broken] = AppStatus.Errored,
        };
        foreach (var (e, to) in settled)
            foreach (var resting in Resting)
            {
                Assert.Equal(to, JobSupervisor.Next(new Phase(resting, 0), e)?.Status);
                Assert.Equal(new Phase(to, 1), JobSupervisor.Next(new Phase(resting, 1), e)); // `sup run` during a re-arm
            }
    }

    [Fact]
    public void No_event_leads_a_job_into_a_service_status()
    {
        var jobStatuses = Resting.Append(AppStatus.Running).ToHashSet();
        foreach (var resting in Resting)
            foreach (var runs in new[] { 0, 1, 2 })
                foreach (var e in Enum.GetValues<Event>())
                    if (JobSupervisor.Next(new Phase(resting, runs), e) is { } to)
                    {
                        Assert.Contains(to.Status, jobStatuses);
                        Assert.True(to.Runs >= 0);
                    }
    }
}
