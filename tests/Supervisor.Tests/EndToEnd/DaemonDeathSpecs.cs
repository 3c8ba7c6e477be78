using System.Text.Json;
using Supervisor.Core.Platform;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>
/// What survives a daemon that dies without a shutdown (SIGKILL, OOM, a bug): its keeper starts a
/// new one, which adopts the running apps; a lost keeper is said; both lost, the next daemon
/// stops the orphans and starts each app once. Real daemons, real apps writing numbered lines.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DaemonDeathSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    // As fast as a shell can; the numbers let a gap (a lost line) or a torn line be seen.
    private const string Writer = "#!/bin/sh\ni=0\nwhile :; do echo \"$i\"; i=$((i + 1)); done\n";

    private readonly string _token = Guid.NewGuid().ToString("N")[..8];

    /// <summary>In each app's environment, to count its processes as `ps e` would.</summary>
    private string Mark(string app) => $"{app}-{_token}";

    private string KeeperPidFile => Path.Combine(_sup.Home, "keeper.pid");
    private int KeeperPid => int.Parse(File.ReadAllText(KeeperPidFile).Trim());

    private async Task StartAsync(params string[] writers)
    {
        _sup.WriteFile("writer.sh", Writer);
        _sup.WriteFile("quiet.sh", "#!/bin/sh\nexec sleep 300\n");
        var apps = string.Concat(writers.Select(w => $"  - name: {w}\n    script: ./writer.sh\n    log_max_size: 10GB\n    env: {{ MARK: {Mark(w)} }}\n"));
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml",
            $"apps:\n{apps}  - name: quiet\n    script: ./quiet.sh\n    min_uptime: 100ms\n    env: {{ MARK: {Mark("quiet")} }}\n"));
    }

    private async Task<Dictionary<string, int>> OnlinePidsAsync() =>
        (await _sup.ListAsync())
            .Where(a => a.GetProperty("status").GetString() == "online")
            .ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("pid").GetInt32());

    /// <summary>A new daemon serves, started by nobody but the keeper (no sup command meanwhile).</summary>
    private async Task<int> NewDaemonAsync(int old)
    {
        var found = await Eventually.TrueAsync(() => Task.FromResult(
            _sup.DaemonPid is int pid && pid != old && Processes.IsAlive(pid) && File.Exists(Path.Combine(_sup.Home, "sup.sock"))
            && _sup.DaemonLog.Contains($"pid {pid}, SUP_HOME") && _sup.DaemonLog.Split($"pid {pid}, SUP_HOME")[1].Contains("Listening")), Patience);
        Assert.True(found, "the keeper started a new daemon by itself");
        return _sup.DaemonPid!.Value;
    }

    /// <summary>
    /// Every line from 0 up, whole, in order, never twice and none missing, however many daemons
    /// died meanwhile: output leaves an app's pipe only once it is in the log (Logs/PipeOutputPump).
    /// </summary>
    private void AssertNoLineLost(string app)
    {
        var lines = _sup.ReadLog(app).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 1000, $"{app} wrote {lines.Length} lines");
        var expected = 0L;
        for (var i = 0; i < lines.Length; i++)
        {
            if (!long.TryParse(lines[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n != expected)
                Assert.Fail($"{app}: line {i} of its log is '{lines[i]}' (expected {expected}): a {(n > expected ? "lost" : "torn or repeated")} line");
            expected = n + 1;
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task A_daemon_killed_four_times_comes_back_by_itself_with_the_same_processes_losing_no_line()
    {
        await StartAsync("w1", "w2");
        var before = await OnlinePidsAsync();
        Assert.Equal(3, before.Count);
        var uptimeBefore = (await _sup.AppAsync("quiet")).GetProperty("uptime_ms").GetInt64();

        var daemon = _sup.DaemonPid!.Value;
        for (var kill = 0; kill < 4; kill++)
        {
            await Task.Delay(300);
            ProcessControl.Current.Signal(daemon, Signals.SIGKILL);
            daemon = await NewDaemonAsync(daemon);
        }

        var after = await OnlinePidsAsync();
        Assert.Equal(before, after);
        var quiet = await _sup.AppAsync("quiet");
        Assert.True(quiet.GetProperty("uptime_ms").GetInt64() > uptimeBefore, "the uptime counts from the real start");
        Assert.Equal(0, quiet.GetProperty("restarts").GetInt32());
        Assert.Single(Processes.Mentioning(Mark("quiet")));
        Assert.Contains("adopted pid", _sup.DaemonLog);
        Assert.DoesNotContain("outlived the previous daemon", _sup.DaemonLog);

        // Supervised again: a crash now is restarted by the new daemon, with the exit the keeper saw.
        ProcessControl.Current.Signal(after["quiet"], Signals.SIGKILL);
        var restarted = await Eventually.ValueAsync(OnlinePidsAsync, p => p.TryGetValue("quiet", out var pid) && pid != after["quiet"], Patience, "quiet restarted");
        Assert.Contains("SIGKILL", _sup.DaemonLog.Split("adopted pid").Last());

        await _sup.OkAsync("stop", "all");
        AssertNoLineLost("w1");
        AssertNoLineLost("w2");
        Assert.True(Processes.IsAlive(KeeperPid));
        Assert.False(Processes.IsAlive(restarted["quiet"]));
    }

    [Fact(Timeout = 180_000)]
    public async Task Sup_update_replaces_the_daemon_and_keeps_every_app_running()
    {
        await StartAsync("w1");
        var before = await OnlinePidsAsync();
        var daemon = _sup.DaemonPid!.Value;

        var update = await _sup.OkAsync("update");

        var version = await _sup.OkAsync("version");
        Assert.Contains($"pid {daemon} ", update.Stdout);
        Assert.Contains($"pid {_sup.DaemonPid} ", update.Stdout);
        Assert.NotEqual(daemon, _sup.DaemonPid);
        Assert.Contains($"pid {_sup.DaemonPid})", version.Stdout);
        Assert.Equal(before, await OnlinePidsAsync());
        Assert.Contains("asked to be replaced", File.ReadAllText(Path.Combine(_sup.Home, "daemon.out")));
        await _sup.OkAsync("stop", "all");
        AssertNoLineLost("w1");
    }

    [Fact(Timeout = 180_000)]
    public async Task A_daemon_killed_during_a_start_of_many_apps_leaves_no_app_twice_and_nothing_behind_sup_kill()
    {
        _sup.WriteFile("quiet.sh", "#!/bin/sh\nexec sleep 300\n");
        var names = Enumerable.Range(1, 40).Select(i => $"a{i:D2}").ToList();
        var file = _sup.WriteFile("many.yaml", "apps:\n" + string.Concat(names.Select(n => $"  - name: {n}\n    script: ./quiet.sh\n    env: {{ MARK: {Mark(n)} }}\n")));
        await _sup.OkAsync("ls");
        var daemon = _sup.DaemonPid!.Value;

        var start = _sup.SupAsync("start", file);
        // Kill as soon as the first app runs: in the middle of spawning the rest.
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Processes.Mentioning(_token).Count > 0), Patience, TimeSpan.FromMilliseconds(5)));
        ProcessControl.Current.Signal(daemon, Signals.SIGKILL);
        await start; // fails or not, depending on how far it got
        await NewDaemonAsync(daemon);

        await Task.Delay(500);
        foreach (var name in names)
            Assert.True(Processes.Mentioning(Mark(name)).Count <= 1, $"{name} runs once at most");
        var online = await OnlinePidsAsync();
        foreach (var (name, pid) in online)
            Assert.Equal([pid], Processes.Mentioning(Mark(name)));

        await _sup.OkAsync("kill");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Processes.Mentioning(_token).Count == 0), Patience), "nothing is left behind");
    }

    [Fact(Timeout = 180_000)]
    public async Task Sup_kill_stops_the_keeper_too()
    {
        await StartAsync("w1");
        var keeper = KeeperPid;
        var pids = (await OnlinePidsAsync()).Values.Append(_sup.DaemonPid!.Value).Append(keeper).ToList();

        await _sup.OkAsync("kill");

        Assert.True(await Processes.AllGoneAsync(pids, Patience), "the apps, the daemon and the keeper are gone");
        Assert.False(File.Exists(KeeperPidFile));
        Assert.False(Directory.Exists(Path.Combine(_sup.Home, "journal")), "a clean shutdown leaves nothing to restore");
    }

    [Fact(Timeout = 180_000)]
    public async Task A_killed_keeper_is_said_and_the_daemon_supervises_on()
    {
        await StartAsync("w1");
        var before = await OnlinePidsAsync();

        ProcessControl.Current.Signal(KeeperPid, Signals.SIGKILL);

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.DaemonLog.Contains("is gone: the apps run on")), Patience), _sup.DaemonLog);
        Assert.Equal(before, await OnlinePidsAsync());
        ProcessControl.Current.Signal(before["quiet"], Signals.SIGKILL);
        await Eventually.ValueAsync(OnlinePidsAsync, p => p.TryGetValue("quiet", out var pid) && pid != before["quiet"], Patience, "quiet restarted");
        await _sup.OkAsync("stop", "all");
        AssertNoLineLost("w1");
    }

    [Fact(Timeout = 180_000)]
    public async Task With_daemon_and_keeper_both_killed_the_next_daemon_stops_the_orphans_and_starts_each_app_once()
    {
        await StartAsync("w1");
        var before = await OnlinePidsAsync();
        var daemon = _sup.DaemonPid!.Value;

        // Both at once: a daemon that lives on after its keeper starts a new one (KeeperRespawner),
        // so it is frozen first, as `sup kill --force` does, and cannot replace it in between.
        var keeper = KeeperPid;
        ProcessControl.Current.Signal(daemon, Signals.SIGSTOP);
        ProcessControl.Current.Signal(keeper, Signals.SIGKILL);
        Assert.True(await Processes.AllGoneAsync([keeper], Patience));
        ProcessControl.Current.Signal(daemon, Signals.SIGKILL);
        Assert.True(await Processes.AllGoneAsync([daemon], Patience));

        var ls = await _sup.OkAsync("ls", "--json"); // a new keeper and daemon: the first command since

        var apps = JsonDocument.Parse(ls.Stdout).RootElement.EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!);
        Assert.Equal(["w1", "quiet"], apps.Keys);
        Assert.True(await Processes.AllGoneAsync([before["quiet"]], Patience), "the orphan nobody read was stopped");
        var after = await Eventually.ValueAsync(OnlinePidsAsync, p => p.Count == 2, Patience, "both apps online");
        Assert.NotEqual(before["quiet"], after["quiet"]);
        Assert.Contains("started again: the previous daemon was lost", (await _sup.OkAsync("describe", "quiet", "--json")).Stdout);
        Assert.Contains("no keeper kept its output; stopping it", _sup.DaemonLog);
        Assert.Single(Processes.Mentioning(Mark("quiet")));
        Assert.Single(Processes.Mentioning(Mark("w1")));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_daemon_killed_while_an_app_backs_off_comes_back_with_the_app_restarting_and_the_others_as_they_were()
    {
        _sup.WriteFile("crash.sh", "#!/bin/sh\nexit 3\n");
        _sup.WriteFile("quiet.sh", "#!/bin/sh\nexec sleep 300\n");
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml", $$"""
            apps:
              - name: crashy
                script: ./crash.sh
                min_uptime: 30s
                max_restarts: 20
                exp_backoff_restart_delay: 1s
              - name: broken
                script: ./crash.sh
                min_uptime: 30s
                max_restarts: 1
              - name: idle
                script: ./quiet.sh
                autostart: false
                env: { MARK: {{Mark("idle")}} }
              - name: halted
                script: ./quiet.sh
                env: { MARK: {{Mark("halted")}} }
            """));
        await _sup.OkAsync("stop", "halted");
        // Backoffs of 1 s, 2 s, 4 s ...: after two restarts it waits 4 s, long enough to kill the daemon in.
        var crashy = await Eventually.ValueAsync(() => _sup.AppAsync("crashy"),
            a => a.GetProperty("status").GetString() == "waiting" && a.GetProperty("restarts").GetInt32() >= 2, Patience, "crashy backing off");
        var restartsBefore = crashy.GetProperty("restarts").GetInt32();
        var brokenReason = (await _sup.AppAsync("broken")).GetProperty("reason").GetString();
        var daemon = _sup.DaemonPid!.Value;

        ProcessControl.Current.Signal(daemon, Signals.SIGKILL);
        await NewDaemonAsync(daemon);

        var apps = (await _sup.ListAsync()).ToDictionary(a => a.GetProperty("name").GetString()!);
        Assert.NotEqual("stopped", apps["crashy"].GetProperty("status").GetString());
        Assert.True(apps["crashy"].GetProperty("restarts").GetInt32() >= restartsBefore, $"the restart count is kept: {apps["crashy"]}");
        Assert.Equal("errored", apps["broken"].GetProperty("status").GetString());
        Assert.Equal(brokenReason, apps["broken"].GetProperty("reason").GetString());
        Assert.Equal("stopped", apps["idle"].GetProperty("status").GetString());
        Assert.Equal("stopped", apps["halted"].GetProperty("status").GetString());
        // Restarted by the new daemon as its policy says: the next backoff is the next doubling.
        var later = await Eventually.ValueAsync(() => _sup.AppAsync("crashy"),
            a => a.GetProperty("restarts").GetInt32() > restartsBefore, Patience, "crashy restarted by the new daemon");
        Assert.Contains("fast crash", later.GetProperty("reason").GetString());
        Assert.Contains("crashy: resumed", _sup.DaemonLog);
        Assert.Empty(Processes.Mentioning(Mark("idle")));
        Assert.Empty(Processes.Mentioning(Mark("halted")));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_killed_keeper_is_replaced_by_the_daemon_and_a_daemon_death_after_that_still_loses_nothing()
    {
        await StartAsync("w1", "w2");
        var before = await OnlinePidsAsync();
        var firstKeeper = KeeperPid;

        ProcessControl.Current.Signal(firstKeeper, Signals.SIGKILL);

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.DaemonLog.Contains("started a new keeper")), Patience), _sup.DaemonLog);
        Assert.Contains("holds the output of 3 app(s)", _sup.DaemonLog);
        var secondKeeper = KeeperPid;
        Assert.NotEqual(firstKeeper, secondKeeper);
        Assert.True(Processes.IsAlive(secondKeeper));
        Assert.Contains($"keeper: restarted at ", (await _sup.OkAsync("ping")).Stdout);
        Assert.Contains($"(pid {secondKeeper})", (await _sup.OkAsync("ping")).Stdout);

        var daemon = _sup.DaemonPid!.Value;
        ProcessControl.Current.Signal(daemon, Signals.SIGKILL);
        await NewDaemonAsync(daemon);

        Assert.Equal(before, await OnlinePidsAsync());
        Assert.Equal(0, (await _sup.AppAsync("quiet")).GetProperty("restarts").GetInt32());
        Assert.Single(Processes.Mentioning(Mark("quiet")));
        Assert.Contains("adopted pid", _sup.DaemonLog);
        Assert.DoesNotContain("outlived the previous daemon", _sup.DaemonLog);
        Assert.Equal(secondKeeper, KeeperPid);
        await _sup.OkAsync("stop", "all");
        AssertNoLineLost("w1");
        AssertNoLineLost("w2");
    }

    [Fact(Timeout = 180_000)]
    public async Task After_a_keeper_was_replaced_sup_update_still_keeps_the_apps_and_sup_kill_stops_the_new_keeper_too()
    {
        await StartAsync("w1");
        var before = await OnlinePidsAsync();
        var firstKeeper = KeeperPid;
        ProcessControl.Current.Signal(firstKeeper, Signals.SIGKILL);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.DaemonLog.Contains("started a new keeper")), Patience), _sup.DaemonLog);
        var secondKeeper = KeeperPid;
        var daemon = _sup.DaemonPid!.Value;

        var update = await _sup.OkAsync("update");

        Assert.Contains($"pid {daemon} ", update.Stdout);
        Assert.NotEqual(daemon, _sup.DaemonPid);
        Assert.Equal(before, await OnlinePidsAsync());
        Assert.Equal(secondKeeper, KeeperPid);
        var newDaemon = _sup.DaemonPid!.Value;

        await _sup.OkAsync("kill");

        Assert.True(await Processes.AllGoneAsync([.. before.Values, daemon, newDaemon, secondKeeper], Patience), "the apps, the daemons and the new keeper are gone");
        Assert.False(File.Exists(KeeperPidFile));
        AssertNoLineLost("w1");
    }

    private async Task<JsonElement[]> HistoryAsync(string job) =>
        JsonDocument.Parse((await _sup.OkAsync("history", job, "--json", "--limit", "100")).Stdout)
            .RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();

    /// <summary>Each step writes "STEP RUN_ID SUP_STEP SUP_ATTEMPT" to marks.txt; step one waits for release (or fails with FAIL_ONCE until it is there).</summary>
    private string WriteStep()
    {
        var marks = Path.Combine(_sup.Apps, "marks.txt");
        _sup.WriteFile("step.sh", $$"""
            #!/bin/sh
            echo "$1 $SUP_RUN_ID $SUP_STEP $SUP_ATTEMPT" >> {{marks}}
            if [ "$1" = one ]; then
              while [ ! -f {{Path.Combine(_sup.Apps, "release")}} ]; do sleep 0.05; done
              echo "one released"
              [ -n "$FAIL_FIRST" ] && [ "$SUP_ATTEMPT" = 1 ] && { echo "first attempt fails" >&2; exit 4; }
            fi
            echo "$1 done"
            """);
        return marks;
    }

    [Fact(Timeout = 180_000)]
    public async Task A_job_step_running_when_the_daemon_dies_is_adopted_and_its_run_goes_on_to_the_next_step_once()
    {
        var marks = WriteStep();
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml", $$"""
            apps:
              - name: nightly
                cron: "0 3 * * *"
                steps: ["./step.sh one", "./step.sh two"]
                env: { MARK: {{Mark("nightly")}} }
            """));
        await _sup.OkAsync("run", "nightly");
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(marks) && File.ReadAllText(marks).Contains("one ")), Patience);
        var step = (await _sup.AppAsync("nightly")).GetProperty("pid").GetInt32();
        var daemon = _sup.DaemonPid!.Value;

        ProcessControl.Current.Signal(daemon, Signals.SIGKILL);
        await NewDaemonAsync(daemon);

        var adopted = await _sup.AppAsync("nightly");
        Assert.Equal("running", adopted.GetProperty("status").GetString());
        Assert.Equal(step, adopted.GetProperty("pid").GetInt32());
        Assert.True(Processes.IsAlive(step), "the step was not stopped");
        File.WriteAllText(Path.Combine(_sup.Apps, "release"), "");

        var history = await Eventually.ValueAsync(() => HistoryAsync("nightly"), h => h.Length >= 1, Patience, "the run recorded");
        var run = Assert.Single(history);
        Assert.Equal("ok", run.GetProperty("result").GetString());
        Assert.Equal("manual", run.GetProperty("trigger").GetString());
        var lines = File.ReadAllLines(marks).Select(l => l.Split(' ')).ToArray();
        // Step one ran once (the adopted process), step two after it, in the same run.
        Assert.Equal(["one", "two"], lines.Select(l => l[0]));
        Assert.All(lines, l => Assert.Equal(run.GetProperty("run_id").GetString(), l[1]));
        Assert.Equal(["1", "2"], lines.Select(l => l[2]));
        await Eventually.ValueAsync(() => _sup.AppAsync("nightly"), a => a.GetProperty("status").GetString() == "scheduled", Patience, "armed again");
        var row = JsonDocument.Parse((await _sup.OkAsync("jobs", "--json")).Stdout).RootElement.EnumerateArray().Single();
        Assert.Equal(1, row.GetProperty("run_count").GetInt32());
        var log = (await _sup.OkAsync("logs", "nightly", "--nostream", "--out")).Stdout;
        Assert.Contains("one released", log); // the adopted step's output, pumped by the new daemon
        Assert.Contains("two done", log);
        Assert.Contains("nightly: adopted run", _sup.DaemonLog);
        Assert.Empty(Processes.Mentioning(Mark("nightly")));
    }

    [Fact(Timeout = 180_000)]
    public async Task An_adopted_job_attempt_that_fails_is_retried_with_the_attempts_it_had_left()
    {
        var marks = WriteStep();
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml", """
            apps:
              - name: sync
                script: ./step.sh
                args: [one]
                every: 1h
                retry: { attempts: 1, delay: 100ms }
                env: { FAIL_FIRST: "1" }
            """));
        await _sup.OkAsync("run", "sync");
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(marks) && File.ReadAllText(marks).Contains("one ")), Patience);
        var daemon = _sup.DaemonPid!.Value;

        ProcessControl.Current.Signal(daemon, Signals.SIGKILL);
        await NewDaemonAsync(daemon);
        File.WriteAllText(Path.Combine(_sup.Apps, "release"), "");

        var history = await Eventually.ValueAsync(() => HistoryAsync("sync"), h => h.Length >= 2, Patience, "both attempts recorded");
        Assert.Equal([1, 2], history.Select(h => h.GetProperty("attempt").GetInt32()));
        Assert.Equal(4, history[0].GetProperty("exit_code").GetInt32());
        Assert.Equal("ok", history[1].GetProperty("result").GetString());
        Assert.Equal("retry", history[1].GetProperty("trigger").GetString());
        Assert.Single(history.Select(h => h.GetProperty("run_id").GetString()).Distinct());
        Assert.Equal(["1", "2"], File.ReadAllLines(marks).Select(l => l.Split(' ')[3]));
        await Task.Delay(500); // no third attempt: retry.attempts is 1
        Assert.Equal(2, (await HistoryAsync("sync")).Length);
    }
}
