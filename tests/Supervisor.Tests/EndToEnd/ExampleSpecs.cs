using System.Diagnostics;
using System.Text.Json;
using Supervisor.Tests.Export;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>
/// Each folder of examples/ (one per system sup replaces, docs/migrating.md) is copied into a
/// temp home, started through the real CLI, and checked to do what its comments say.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ExampleSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sup.DisposeAsync();

    /// <summary>The example's folder copied under the test's apps folder (scripts keep their modes); returns the copy.</summary>
    private string Copy(string example)
    {
        var source = Path.Combine(ExportTools.RepoRoot, "examples", example);
        var target = Path.Combine(_sup.Apps, example);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        return target;
    }

    private async Task<string?> StatusAsync(string app) =>
        (await _sup.ListAsync()).FirstOrDefault(a => a.GetProperty("name").GetString() == app) is { ValueKind: JsonValueKind.Object } row
            ? row.GetProperty("status").GetString()
            : null;

    private async Task<JsonElement[]> JobsAsync() =>
        JsonDocument.Parse((await _sup.OkAsync("jobs", "--json")).Stdout).RootElement.EnumerateArray().ToArray();

    private async Task<JsonElement> LastRunAsync(string job) =>
        (await Eventually.ValueAsync(
            async () => JsonDocument.Parse((await _sup.OkAsync("history", job, "--json")).Stdout).RootElement.EnumerateArray().ToArray(),
            runs => runs.Length >= 1 && runs[^1].TryGetProperty("exit_code", out var code) && code.ValueKind == JsonValueKind.Number,
            Wait, job + " ran"))[^1];

    [Fact]
    public async Task The_plugin_daemon_starts_both_servers_and_a_group_run_goes_through_get_process_push()
    {
        var folder = Copy("plugin-daemon");

        await _sup.OkAsync("start", Path.Combine(folder, "sup.yaml"));

        foreach (var server in (string[])["twitter-server", "instagram-server"])
            Assert.Equal("online", await Eventually.ValueAsync(() => StatusAsync(server), s => s == "online", Wait, server));
        Assert.Equal(["social-instagram", "social-twitter"], (await JobsAsync()).Select(j => j.GetProperty("name").GetString()).Order());

        await _sup.OkAsync("run", "social-instagram");

        var run = await LastRunAsync("social-instagram");
        Assert.Equal(0, run.GetProperty("exit_code").GetInt32());
        var pushed = File.ReadAllText(Path.Combine(folder, "plugins/instagram/data/pushed.log"));
        Assert.Contains("3 NEW POSTS FOR INSTAGRAM", pushed);
        Assert.False(File.Exists(Path.Combine(folder, "plugins/twitter/data/pushed.log")), "twitter has not run");
    }

    [Fact]
    public async Task The_plugin_daemon_does_not_start_a_server_already_running_by_hand()
    {
        var folder = Copy("plugin-daemon");
        var plugin = Path.Combine(folder, "plugins/twitter");
        var byHand = _sup.StartOutside(new ProcessStartInfo(Path.Combine(plugin, "server.sh"), ["--plugin", "twitter"])
        {
            WorkingDirectory = plugin,
        });

        await _sup.OkAsync("start", Path.Combine(folder, "sup.yaml"));

        var twitter = await Eventually.ValueAsync(() => _sup.AppAsync("twitter-server"), a => a.GetProperty("status").GetString() == "external", Wait, "external");
        Assert.Equal(byHand.Id, twitter.GetProperty("pid").GetInt32());
        Assert.Equal("online", await Eventually.ValueAsync(() => StatusAsync("instagram-server"), s => s == "online", Wait, "instagram online"));
    }

    [Fact]
    public async Task The_cron_workflow_records_a_session_per_run_and_its_jobs_toggle_at_runtime()
    {
        var folder = Copy("cron-workflow");

        await _sup.OkAsync("start", Path.Combine(folder, "sup.yaml"));

        Assert.Equal("scheduled", await StatusAsync("coffee"));
        Assert.Equal("disabled", await StatusAsync("weekly-review"));
        await _sup.OkAsync("run", "coffee");
        Assert.Equal("ok", (await LastRunAsync("coffee")).GetProperty("result").GetString());
        var session = Assert.Single(Directory.GetFiles(Path.Combine(folder, "sessions"), "*.md"));
        var text = File.ReadAllText(session);
        Assert.Contains("job: coffee", text);
        Assert.Contains("prompt: Summarise overnight mail and plan the day.", text);

        await _sup.OkAsync("enable", "weekly-review");
        Assert.Equal("scheduled", await StatusAsync("weekly-review"));
        await _sup.OkAsync("disable", "coffee");
        Assert.Equal("disabled", await StatusAsync("coffee"));
    }

    [Fact]
    public async Task The_background_tasks_are_listed_with_their_cadence_and_a_forced_run_is_counted()
    {
        var folder = Copy("background-tasks");

        await _sup.OkAsync("start", Path.Combine(folder, "sup.yaml"));

        // The cadence is a column of the table (sup jobs --wide); the default view is one line per job.
        var table = (await _sup.OkAsync("jobs", "--wide")).Stdout;
        Assert.Matches(@"heartbeat +every 5m", table);
        Assert.Matches(@"cleanup +every 1h", table);
        Assert.Matches(@"digest +every 1d|digest +every 24h", table);

        await _sup.OkAsync("run", "heartbeat");
        Assert.Equal(0, (await LastRunAsync("heartbeat")).GetProperty("exit_code").GetInt32());
        var heartbeat = await Eventually.ValueAsync(JobsAsync, jobs => jobs.Single(j => j.GetProperty("name").GetString() == "heartbeat").GetProperty("run_count").GetInt32() == 1, Wait, "counted");
        Assert.Equal("ok", heartbeat.Single(j => j.GetProperty("name").GetString() == "heartbeat").GetProperty("last_result").GetString());
        Assert.True(File.Exists(Path.Combine(folder, "state/heartbeat.txt")));
    }

    [Fact]
    public async Task The_agent_keeps_its_watcher_up_and_answers_each_dropped_file_then_moves_it_to_done()
    {
        var folder = Copy("agent");

        await _sup.OkAsync("start", Path.Combine(folder, "sup.yaml"));
        Assert.Equal("online", await Eventually.ValueAsync(() => StatusAsync("mail-watcher"), s => s == "online", Wait, "watcher online"));

        var temporary = Path.Combine(folder, "task-1.tmp");
        File.WriteAllText(temporary, "# summarise the report\nline two\n");
        File.Move(temporary, Path.Combine(folder, "Inbox/task-1.md"));

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.Exists(Path.Combine(folder, "Done/task-1.md"))), Wait), "moved to Done");
        Assert.False(File.Exists(Path.Combine(folder, "Inbox/task-1.md")));
        var reply = File.ReadAllText(Path.Combine(folder, "Outbox/task-1.reply.md"));
        Assert.Contains("task: # summarise the report", reply);
        Assert.Contains("lines read: 2", reply);
    }
}
