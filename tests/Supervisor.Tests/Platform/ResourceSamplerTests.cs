using Supervisor.Core.Platform;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.Platform;

public class ResourceSamplerTests
{
    private readonly FakeProcessControl fake = new();
    private readonly ManualTimeProvider clock = new();

    [Fact]
    public void First_sample_has_no_cpu_rate_yet_but_memory_and_count()
    {
        fake.Set(10, 1, cpuTicks: 500, rssBytes: 1000);
        fake.Set(11, 10, cpuTicks: 500, rssBytes: 2000);
        var sampler = new ResourceSampler(fake, clock);

        var usage = sampler.Sample([10])[10];

        Assert.Equal(new ResourceUsage(0, 3000, 2), usage);
    }

    [Fact]
    public void Cpu_is_percent_of_one_core_summed_over_the_tree()
    {
        fake.Set(10, 1, cpuTicks: 0);
        fake.Set(11, 10, cpuTicks: 0);
        var sampler = new ResourceSampler(fake, clock);
        sampler.Sample([10]);

        clock.Advance(TimeSpan.FromSeconds(2));
        fake.Set(10, 1, cpuTicks: 100);  // 1 s of CPU in 2 s: 50%
        fake.Set(11, 10, cpuTicks: 300); // 3 s in 2 s: 150% (threads on two cores)
        var usage = sampler.Sample([10])[10];

        Assert.Equal(200, usage.CpuPercent, precision: 6);
    }

    [Fact]
    public void Child_started_since_the_last_sample_counts_all_its_cpu_and_an_exited_one_none()
    {
        fake.Set(10, 1, cpuTicks: 0);
        fake.Set(11, 10, cpuTicks: 1000);
        var sampler = new ResourceSampler(fake, clock);
        sampler.Sample([10]);

        clock.Advance(TimeSpan.FromSeconds(1));
        fake.Processes.Remove(11);
        fake.Set(12, 10, cpuTicks: 40);
        var usage = sampler.Sample([10])[10];

        Assert.Equal(40, usage.CpuPercent, precision: 6);
        Assert.Equal(2, usage.ProcessCount);
    }

    [Fact]
    public void Reused_pid_is_a_new_process_not_a_negative_delta()
    {
        fake.Set(10, 1, cpuTicks: 0);
        fake.Set(11, 10, cpuTicks: 5000, startTicks: 1);
        var sampler = new ResourceSampler(fake, clock);
        sampler.Sample([10]);

        clock.Advance(TimeSpan.FromSeconds(1));
        fake.Set(11, 10, cpuTicks: 20, startTicks: 900);
        var usage = sampler.Sample([10])[10];

        Assert.Equal(20, usage.CpuPercent, precision: 6);
    }

    [Fact]
    public void Each_root_gets_its_own_usage_and_a_gone_root_reports_zeros()
    {
        fake.Set(10, 1, cpuTicks: 0, rssBytes: 100);
        fake.Set(20, 1, cpuTicks: 0, rssBytes: 200);
        var sampler = new ResourceSampler(fake, clock);
        sampler.Sample([10, 20]);

        clock.Advance(TimeSpan.FromSeconds(1));
        fake.Set(10, 1, cpuTicks: 10, rssBytes: 100);
        fake.Set(20, 1, cpuTicks: 30, rssBytes: 200);
        var usage = sampler.Sample([10, 20, 30]);

        Assert.Equal(new ResourceUsage(10, 100, 1), usage[10]);
        Assert.Equal(new ResourceUsage(30, 200, 1), usage[20]);
        Assert.Equal(new ResourceUsage(0, 0, 0), usage[30]);
    }

    [Fact]
    public async Task Memory_of_a_real_tree_includes_a_child_that_allocates()
    {
        var pc = ProcessControl.Current;
        var (host, args) = TestApp.Command("alloc", "50");
        using var child = SpawnedProcess.Shell(pc, $"'{host}' '{string.Join("' '", args)}' & wait");
        await child.WaitForLineAsync("ready");
        var sampler = new ResourceSampler(pc, TimeProvider.System);

        var usage = sampler.Sample([child.Pid])[child.Pid];

        Assert.True(usage.MemoryBytes >= 50_000_000, $"Tree RSS was {usage.MemoryBytes} bytes.");
        Assert.Equal(2, usage.ProcessCount);
    }

    [Fact]
    public async Task Cpu_of_a_real_busy_loop_is_seen_above_half_a_core()
    {
        var pc = ProcessControl.Current;
        var (host, args) = TestApp.Command("busy");
        using var child = SpawnedProcess.Start(pc, host, args);
        await child.WaitForLineAsync("ready");
        var sampler = new ResourceSampler(pc, TimeProvider.System);
        sampler.Sample([child.Pid]);

        // The machine is shared: look for one busy second within a generous window.
        var highest = 0.0;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (highest <= 50 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            highest = Math.Max(highest, sampler.Sample([child.Pid])[child.Pid].CpuPercent);
        }

        Assert.True(highest > 50, $"Highest CPU seen was {highest:F0}%.");
    }
}
