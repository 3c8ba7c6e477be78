using System.Diagnostics;
using Supervisor.Core;
using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

/// <summary>Hostile or broken ecosystem files (issue 14) are refused with file:line:col, never a crash or a hang.</summary>
public sealed class EcosystemLimitsTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public EcosystemLimitsTests() => _dir.Write("run.sh");

    public void Dispose() => _dir.Dispose();

    private const string App = """
        apps:
          - name: a
            script: run.sh

        """;

    [Fact(Timeout = 60_000)]
    public async Task Fifty_thousand_nested_lists_are_refused_at_the_level_past_the_limit_on_a_small_stack()
    {
        var yaml = App + "x-deep: " + new string('[', 50_000) + new string(']', 50_000) + "\n";
        IReadOnlyList<string>? problems = null;

        // 256 KiB of stack: the tree builder would need megabytes for 50,000 levels.
        var thread = new Thread(() => problems = _dir.Problems(yaml), 256 * 1024);
        thread.Start();
        await Task.Run(thread.Join);

        var problem = Assert.Single(problems!);
        Assert.Equal($"4:{9 + EcosystemLimits.MaxNestingDepth - 1}: Mappings and lists are nested more than 64 deep here; an ecosystem file needs only a few levels.", problem);
    }

    [Fact]
    public void Deep_block_mappings_are_refused_with_the_line_of_the_first_level_too_deep()
    {
        var lines = Enumerable.Range(0, 100).Select(i => new string(' ', i) + $"k{i}:");
        var problems = _dir.Problems(App + "x-deep:\n" + string.Join('\n', lines.Select(l => " " + l)) + " v\n");

        var problem = Assert.Single(problems);
        Assert.StartsWith($"{5 + EcosystemLimits.MaxNestingDepth - 1}:", problem);
        Assert.Contains("nested more than 64 deep", problem);
    }

    [Fact]
    public void Nesting_up_to_the_limit_loads()
    {
        // The top-level mapping is level 1.
        var depth = EcosystemLimits.MaxNestingDepth - 1;
        var ecosystem = _dir.Load(App + "x-deep: " + new string('[', depth) + new string(']', depth) + "\n");

        Assert.Equal("a", Assert.Single(ecosystem.Apps).Name);
    }

    [Fact]
    public void Instances_beyond_the_limit_are_refused()
    {
        var problems = _dir.Problems(App + "    instances: 100000000\n");

        Assert.Equal(["4:16: instances: '100000000' must be 1000 or less."], problems);
    }

    [Fact]
    public void Instances_at_the_limit_load()
    {
        var ecosystem = _dir.Load("apps:\n  - name: a\n    script: run.sh\n    instances: 1000\n");

        Assert.Equal(EcosystemLimits.MaxInstances, ecosystem.Apps.Count);
    }

    [Fact]
    public void More_apps_than_the_limit_counting_instances_are_refused_at_the_app_past_it()
    {
        var apps = string.Concat(Enumerable.Range(0, 3).Select(i => $"  - name: a{i}\n    script: run.sh\n    instances: 400\n"));

        var problems = _dir.Problems("apps:\n" + apps);

        Assert.Equal(["8:5: The file has more than 1000 apps (instances counted); split it or lower instances. Apps after this one were not read."], problems);
    }

    [Theory]
    [InlineData("restart_delay", "60d", "1d")]
    [InlineData("kill_timeout", "100000d", "1h")]
    [InlineData("min_uptime", "2d", "1d")]
    [InlineData("exp_backoff_restart_delay", "50d", "1d")]
    public void A_service_duration_beyond_its_limit_is_refused(string key, string value, string limit)
    {
        var problems = _dir.Problems($"apps:\n  - name: a\n    script: run.sh\n    {key}: {value}\n");

        Assert.Equal([$"4:{key.Length + 7}: {key}: '{value}' is longer than the limit of {limit}."], problems);
    }

    [Theory]
    [InlineData("every: 400d", "every: '400d' is longer than the limit of 366d.")]
    [InlineData("every: 1h\n    jitter: 2d", "jitter: '2d' is longer than the limit of 1d.")]
    [InlineData("every: 1h\n    retry: { attempts: 1, delay: 5d }", "retry.delay: '5d' is longer than the limit of 1d.")]
    [InlineData("every: 1h\n    retry: { attempts: 30, delay: 1h, multiplier: 2 }", "retry: the last retry would wait longer than the limit of 1d")]
    public void A_job_duration_beyond_its_limit_is_refused(string keys, string expected)
    {
        var problems = _dir.Problems($"apps:\n  - name: a\n    script: run.sh\n    {keys}\n");

        Assert.Contains(expected, Assert.Single(problems));
    }

    [Fact]
    public void Durations_at_their_limits_load()
    {
        var ecosystem = _dir.Load("""
            apps:
              - name: a
                script: run.sh
                restart_delay: 1d
                kill_timeout: 1h
                min_uptime: 24h
              - name: j
                script: run.sh
                every: 366d
                jitter: 1d
                retry: { attempts: 3, delay: 6h, multiplier: 2 }
            """);

        Assert.Equal(TimeSpan.FromHours(1), ecosystem.Apps[0].KillTimeout);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_fifo_as_ecosystem_file_is_refused_without_blocking()
    {
        var fifo = _dir.Combine("ecosystem.yaml");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        var error = await Task.Run(() => Assert.Throws<SupException>(() => EcosystemLoader.Load(fifo, new LoadOptions())));

        Assert.Equal(SupError.InvalidConfig, error.Error);
        Assert.Equal($"{fifo} is a FIFO (named pipe), not a regular file; an ecosystem file must be a regular file.", error.Message);
    }

    [Fact]
    public void A_symlink_to_dev_zero_is_refused_as_a_device()
    {
        var link = _dir.Combine("ecosystem.yaml");
        File.CreateSymbolicLink(link, "/dev/zero");

        var error = Assert.Throws<SupException>(() => EcosystemLoader.Load(link, new LoadOptions()));

        Assert.Equal($"{link} is a character device, not a regular file; an ecosystem file must be a regular file.", error.Message);
    }

    [Fact]
    public void A_symlink_to_a_regular_file_still_loads()
    {
        var real = _dir.Write("real.yaml", "apps:\n  - name: a\n    script: run.sh\n", executable: false);
        var link = _dir.Combine("ecosystem.yaml");
        File.CreateSymbolicLink(link, real);

        var ecosystem = EcosystemLoader.Load(link, new LoadOptions { BaseEnvironment = _dir.Environment });

        Assert.Equal("a", Assert.Single(ecosystem.Apps).Name);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused()
    {
        var path = _dir.Write("ecosystem.yaml", App + "# " + new string('x', (int)EcosystemLimits.MaxFileBytes) + "\n", executable: false);

        var error = Assert.Throws<SupException>(() => EcosystemLoader.Load(path, new LoadOptions()));

        Assert.Equal(SupError.InvalidConfig, error.Error);
        Assert.StartsWith($"{path} is {new FileInfo(path).Length} bytes; an ecosystem file may be at most 1048576 bytes (1 MiB).", error.Message);
    }

    [Fact]
    public void Every_duration_limit_is_stated_in_the_docs()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Supervisor.sln"))) folder = folder.Parent;
        var doc = File.ReadAllText(Path.Combine(folder!.FullName, "docs", "ecosystem.md"));
        var limits = doc[doc.IndexOf("## Limits", StringComparison.Ordinal)..];

        Assert.All(DurationLimits.All, limit => Assert.Contains($"| `{limit.Key}` | {Duration.Format(limit.Value)} |", limits));
        Assert.Contains($"{EcosystemLimits.MaxNestingDepth}", limits);
        Assert.Contains($"{EcosystemLimits.MaxInstances}", limits);
        Assert.Contains("1 MiB", limits);
    }
}
