using Xunit;
using System.Diagnostics;
using Supervisor.Core.Platform;
using Supervisor.Tests.TestSupport;

namespace Supervisor.Tests.EndToEnd;

/// <summary>Restarts, crash loops, the stop cascade and orphans, with real processes and a real daemon.</summary>
public sealed class SupervisionSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private string Ecosystem(string body) => _sup.WriteFile("ecosystem.yaml", body);

    [Fact]
    public async Task A_crash_loop_backs_off_and_ends_errored_with_the_reason()
    {
        _sup.WriteFile("crash.sh", "#!/bin/sh\necho crashing >&2\nexit 3\n");
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: crasher
                script: ./crash.sh
                min_uptime: 2s
                exp_backoff_restart_delay: 100ms
                max_restarts: 4
            """));

        var app = await Eventually.ValueAsync(() => _sup.AppAsync("crasher"),
            a => a.GetProperty("status").GetString() == "errored", TimeSpan.FromSeconds(20), "crasher errored");

        Assert.Equal(3, app.GetProperty("restarts").GetInt32());
        Assert.Equal("4 fast crashes, last exit code 3", app.GetProperty("reason").GetString());
        Assert.Contains("errored", (await _sup.OkAsync("ls")).Stdout);
        Assert.Contains("4 fast crashes, last exit code 3", _sup.DaemonLog);

        // `sup restart` gives an errored app a fresh count: four more fast crashes before it is
        // errored again, not one. (Not "it is not errored right after": with 100 ms backoffs a
        // loaded machine can see the whole second series before the next `sup ls` answers.)
        const string reason = "4 fast crashes, last exit code 3";
        var erroredOnce = Occurrences(_sup.DaemonLog, reason);
        await _sup.OkAsync("restart", "crasher");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Occurrences(_sup.DaemonLog, reason) == 2 * erroredOnce),
            TimeSpan.FromSeconds(20)), "errored again after four more fast crashes");
        var again = await _sup.AppAsync("crasher");
        Assert.Equal(("errored", reason), (again.GetProperty("status").GetString(), again.GetProperty("reason").GetString()));
    }

    private static int Occurrences(string text, string what) => text.Split(what).Length - 1;

    [Fact]
    public async Task A_waiting_app_shows_the_backoff_left()
    {
        _sup.WriteFile("crash.sh", "#!/bin/sh\nexit 1\n");
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: slowback
                script: ./crash.sh
                exp_backoff_restart_delay: 30s
            """));

        var app = await Eventually.ValueAsync(() => _sup.AppAsync("slowback"),
            a => a.GetProperty("status").GetString() == "waiting", TimeSpan.FromSeconds(10), "waiting");

        Assert.InRange(app.GetProperty("waiting_ms").GetInt64(), 1, 30_000);
        Assert.Contains("waiting", (await _sup.OkAsync("ls")).Stdout);
    }

    [Fact]
    public async Task A_long_running_app_that_dies_is_replaced_at_once_with_a_fresh_count()
    {
        _sup.WriteFile("svc.sh", "#!/bin/sh\nexec sleep 300\n");
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: svc
                script: ./svc.sh
                min_uptime: 300ms
            """));
        var first = (await _sup.AppAsync("svc")).GetProperty("pid").GetInt32();
        await Task.Delay(600); // lived past min_uptime

        ProcessControl.Current.Signal(first, Signals.SIGKILL);

        var app = await Eventually.ValueAsync(() => _sup.AppAsync("svc"),
            a => a.GetProperty("status").GetString() == "online" && a.GetProperty("pid").GetInt32() != first,
            TimeSpan.FromSeconds(10), "a new pid");
        Assert.Equal(1, app.GetProperty("restarts").GetInt32());
        Assert.Equal(0, app.GetProperty("fast_crashes").GetInt32());
    }

    [Fact]
    public async Task Stop_kills_grandchildren_including_ones_that_ignore_sigterm()
    {
        var pidsFile = Path.Combine(_sup.Apps, "pids.txt");
        _sup.WriteFile("tree.sh", $"""
            #!/bin/sh
            sleep 300 &
            echo $! >> {pidsFile}
            (trap '' TERM; sleep 301) &
            echo $! >> {pidsFile}
            setsid sleep 302 &
            echo $! >> {pidsFile}
            while true; do sleep 1; done
            """);
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: tree
                script: ./tree.sh
                kill_timeout: 1s
            """));
        var root = (await _sup.AppAsync("tree")).GetProperty("pid").GetInt32();
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.Exists(pidsFile) && File.ReadAllLines(pidsFile).Length == 3), TimeSpan.FromSeconds(10)));
        var grandchildren = File.ReadAllLines(pidsFile).Select(int.Parse).ToList();
        Assert.All(grandchildren, p => Assert.True(Processes.IsAlive(p)));

        await _sup.OkAsync("stop", "tree");

        Assert.True(await Processes.AllGoneAsync([root, .. grandchildren], TimeSpan.FromSeconds(5)),
            "after `sup stop` no process of the tree is alive");
    }

    [Fact]
    public async Task A_child_that_ignores_sigterm_is_killed_after_kill_timeout()
    {
        _sup.WriteFile("stubborn.sh", "#!/bin/sh\ntrap 'echo got TERM' TERM\nwhile true; do sleep 0.2; done\n");
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: stubborn
                script: ./stubborn.sh
                kill_timeout: 700ms
            """));
        var pid = (await _sup.AppAsync("stubborn")).GetProperty("pid").GetInt32();
        await Task.Delay(300); // let the trap be installed

        var watch = Stopwatch.StartNew();
        await _sup.OkAsync("stop", "stubborn");

        Assert.False(Processes.IsAlive(pid));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(600), "the stop waited for kill_timeout before SIGKILL");
        Assert.Contains("sent SIGKILL", _sup.DaemonLog);
    }

    [Fact]
    public async Task A_child_that_cleans_up_on_sigterm_gets_its_time_and_exits_0()
    {
        _sup.WriteFile("graceful.sh", "#!/bin/sh\ntrap 'echo cleaning; sleep 2; echo clean; exit 0' TERM\necho ready\nwhile true; do sleep 0.1; done\n");
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: graceful
                script: ./graceful.sh
                kill_timeout: 5s
            """));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("graceful").Contains("ready")), TimeSpan.FromSeconds(10)));

        await _sup.OkAsync("stop", "graceful");

        var describe = await _sup.OkAsync("describe", "graceful", "--json");
        Assert.Contains("\"last_exit_code\":0", describe.Stdout);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("graceful").Contains("clean\n")), TimeSpan.FromSeconds(5)));
        Assert.DoesNotContain("sent SIGKILL", _sup.DaemonLog);
    }

    [Fact]
    public async Task Daemon_shutdown_stops_many_apps_in_parallel()
    {
        _sup.WriteFile("stubborn.sh", "#!/bin/sh\ntrap '' TERM\nwhile true; do sleep 0.2; done\n");
        var apps = string.Concat(Enumerable.Range(0, 12).Select(i =>
            $"  - name: s{i}\n    script: ./stubborn.sh\n    kill_timeout: 2s\n"));
        await _sup.OkAsync("start", Ecosystem("apps:\n" + apps));
        var pids = (await _sup.ListAsync()).Select(a => a.GetProperty("pid").GetInt32()).ToList();
        Assert.Equal(12, pids.Count);

        var watch = Stopwatch.StartNew();
        await _sup.OkAsync("kill");

        // Twelve 2 s timeouts one after another would take 24 s; in parallel it is about 2 s.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(12), $"kill took {watch.Elapsed}");
        Assert.True(await Processes.AllGoneAsync(pids, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Sigterm_to_the_daemon_stops_every_app_and_removes_pid_files()
    {
        _sup.WriteFile("a.sh", "#!/bin/sh\nexec sleep 300\n");
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: a\n    script: ./a.sh\n"));
        var pid = (await _sup.AppAsync("a")).GetProperty("pid").GetInt32();
        var daemon = _sup.DaemonPid!.Value;
        Assert.True(File.Exists(Path.Combine(_sup.Home, "pids", "a.pid")));

        ProcessControl.Current.Signal(daemon, Signals.SIGTERM);

        Assert.True(await Processes.AllGoneAsync([pid, daemon], TimeSpan.FromSeconds(15)));
        Assert.False(File.Exists(Path.Combine(_sup.Home, "pids", "a.pid")));
        Assert.False(File.Exists(Path.Combine(_sup.Home, "sup.pid")));
    }

    [Fact]
    public async Task Sigint_stops_the_daemon_gracefully_even_when_it_was_started_by_a_background_job()
    {
        // A script's `sup start app.yaml &` runs with SIGINT ignored; the daemon it starts must
        // not inherit that, or `kill -INT` (and Ctrl+C under `sup daemon`) would do nothing.
        _sup.WriteFile("a.sh", "#!/bin/sh\nexec sleep 300\n");
        var started = await _sup.SupFromShellAsync("trap '' INT QUIT", "start", Ecosystem("apps:\n  - name: a\n    script: ./a.sh\n"));
        Assert.True(started.ExitCode == 0, started.ToString());
        var pid = (await _sup.AppAsync("a")).GetProperty("pid").GetInt32();
        var daemon = _sup.DaemonPid!.Value;

        ProcessControl.Current.Signal(daemon, Signals.SIGINT);

        Assert.True(await Processes.AllGoneAsync([pid, daemon], TimeSpan.FromSeconds(15)), "SIGINT stopped the app and the daemon");
        Assert.False(File.Exists(Path.Combine(_sup.Home, "pids", "a.pid")));
        Assert.False(File.Exists(Path.Combine(_sup.Home, "sup.pid")));
    }

    [Fact]
    public async Task The_daemon_keeps_none_of_the_descriptors_the_cli_inherited()
    {
        // A CI runner's pipe or a script's `exec 7>>file` reaches `sup start`; held by the daemon
        // for its whole life, it would keep a waiting reader from ever seeing EOF.
        _sup.WriteFile("a.sh", "#!/bin/sh\nexec sleep 300\n");
        var held = Path.Combine(_sup.Apps, "held-by-the-cli.txt");
        var started = await _sup.SupFromShellAsync($"exec 7>>'{held}'", "start", Ecosystem("apps:\n  - name: a\n    script: ./a.sh\n"));
        Assert.True(started.ExitCode == 0, started.ToString());
        var daemon = _sup.DaemonPid!.Value;

        var open = Directory.GetFiles($"/proc/{daemon}/fd").Select(fd => new FileInfo(fd).LinkTarget).ToList();

        Assert.Contains(Path.Combine(_sup.Home, "daemon.out"), open); // stdout and stderr
        Assert.DoesNotContain(held, open);
    }

    [Fact]
    public async Task After_kill_9_of_the_daemon_the_app_never_runs_twice()
    {
        // Without a keeper (DaemonDeathSpecs has the keeper's side): the orphan's output went
        // unread, so the next daemon stops it and starts the app once again itself.
        var noKeeper = new Dictionary<string, string> { ["SUP_NO_KEEPER"] = "1" };
        var marker = "orphan-" + Guid.NewGuid().ToString("N")[..6];
        _sup.WriteFile("a.sh", "#!/bin/sh\nexec sleep 300\n");
        var started = await _sup.SupWithEnvironmentAsync(TimeSpan.FromSeconds(60), noKeeper,
            "start", Ecosystem($"apps:\n  - name: a\n    script: ./a.sh\n    env: {{ MARK: {marker} }}\n"));
        Assert.True(started.ExitCode == 0, started.ToString());
        var old = (await _sup.AppAsync("a")).GetProperty("pid").GetInt32();
        var daemon = _sup.DaemonPid!.Value;

        ProcessControl.Current.Signal(daemon, Signals.SIGKILL);
        Assert.True(await Processes.AllGoneAsync([daemon], TimeSpan.FromSeconds(5)));
        Assert.True(Processes.IsAlive(old), "the app outlives a SIGKILLed daemon (own session)");

        var ls = await _sup.SupWithEnvironmentAsync(TimeSpan.FromSeconds(60), noKeeper, "ls"); // starts a new daemon, which finds the orphan
        Assert.True(ls.ExitCode == 0, ls.ToString());
        Assert.True(await Processes.AllGoneAsync([old], TimeSpan.FromSeconds(10)), "the orphan was stopped");
        await _sup.OkAsync("start", Path.Combine(_sup.Apps, "ecosystem.yaml"));

        var running = Processes.Mentioning(marker);
        Assert.Single(running);
        Assert.Contains("outlived the previous daemon", _sup.DaemonLog);
    }

    [Fact]
    public async Task An_app_gets_sigpipe_at_its_default_action_as_from_a_shell()
    {
        // The .NET runtime ignores SIGPIPE. An app that inherited that would see `yes | head`
        // end with "yes: standard output: Broken pipe" on stderr instead of quietly.
        _sup.WriteFile("pipe.sh", "#!/bin/sh\nyes | head -n 1\necho finished\nexec sleep 300\n");
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: pipe\n    script: ./pipe.sh\n"));

        await Eventually.ValueAsync(() => Task.FromResult(_sup.ReadLog("pipe")), l => l.Contains("finished"), TimeSpan.FromSeconds(20), "the pipeline to finish");

        Assert.Equal("y\nfinished\n", _sup.ReadLog("pipe"));
        Assert.DoesNotContain("Broken pipe", _sup.ReadLog("pipe", "err"));
    }

    [Fact]
    public async Task A_pid_file_process_started_outside_sup_is_reported_and_not_started_twice()
    {
        using var outside = Process.Start("sleep", "300");
        Directory.CreateDirectory(Path.Combine(_sup.Home, "pids"));
        File.WriteAllText(Path.Combine(_sup.Home, "pids", "web.pid"), outside.Id + "\n");
        _sup.WriteFile("web.sh", "#!/bin/sh\nexec sleep 300\n");

        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: web\n    script: ./web.sh\n"));

        var app = await _sup.AppAsync("web");
        Assert.Equal("errored", app.GetProperty("status").GetString());
        Assert.Contains($"pid {outside.Id}", app.GetProperty("reason").GetString());
        Assert.True(Processes.IsAlive(outside.Id), "a process sup did not start is left alone");
        outside.Kill();
    }

    [Fact]
    public async Task Signal_reaches_the_app()
    {
        _sup.WriteFile("usr1.sh", "#!/bin/sh\ntrap 'echo got USR1' USR1\necho ready\nwhile true; do sleep 0.1; done\n");
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: u\n    script: ./usr1.sh\n"));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("u").Contains("ready")), TimeSpan.FromSeconds(10)));

        await _sup.OkAsync("signal", "SIGUSR1", "u");

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("u").Contains("got USR1")), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Autorestart_off_and_stop_exit_codes_leave_the_app_stopped()
    {
        _sup.WriteFile("once.sh", "#!/bin/sh\nexit 0\n");
        _sup.WriteFile("two.sh", "#!/bin/sh\nsleep 0.3\nexit 2\n");
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: once
                script: ./once.sh
                autorestart: false
              - name: two
                script: ./two.sh
                stop_exit_codes: [2]
            """));

        foreach (var name in new[] { "once", "two" })
        {
            var app = await Eventually.ValueAsync(() => _sup.AppAsync(name),
                a => a.GetProperty("status").GetString() == "stopped", TimeSpan.FromSeconds(10), name + " stopped");
            Assert.Equal(0, app.GetProperty("restarts").GetInt32());
        }
    }

    [Fact]
    public async Task Max_memory_restart_restarts_an_app_whose_tree_grows_too_big()
    {
        _sup.WriteFile("hog.sh", "#!/bin/sh\nexec python3 -c \"b = bytearray(80 * 1024 * 1024); import time; time.sleep(300)\"\n");
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: hog
                script: ./hog.sh
                max_memory_restart: 40MB
                min_uptime: 100ms
            """));

        var app = await Eventually.ValueAsync(() => _sup.AppAsync("hog"),
            a => a.GetProperty("restarts").GetInt32() >= 1, TimeSpan.FromSeconds(20), "a memory restart");

        Assert.Contains("memory", _sup.DaemonLog);
        Assert.True(app.GetProperty("restarts").GetInt32() >= 1);
    }

    /// <summary>
    /// Issue 14: with no descriptor left (a low `ulimit -n`), /proc cannot be read, and the stop took
    /// "cannot read" for "gone": `sup stop` answered at once, exit 0, while the app (which ignores
    /// SIGTERM) ran on. Now it is SIGKILLed with its group after kill_timeout.
    /// </summary>
    [Fact(Timeout = 90_000)]
    public async Task Stop_with_no_descriptor_left_still_kills_an_app_that_ignores_sigterm()
    {
        var ready = Path.Combine(_sup.Apps, "ready");
        _sup.WriteFile("stubborn.sh", $"#!/bin/sh\ntrap '' TERM\ntouch {ready}\nexec sleep 1000\n");
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: stubborn
                script: ./stubborn.sh
                kill_timeout: 1s
            """));
        var pid = (await _sup.AppAsync("stubborn")).GetProperty("pid").GetInt32();
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.Exists(ready)), TimeSpan.FromSeconds(10)), "SIGTERM is ignored");

        var daemon = _sup.DaemonPid!.Value;
        // The connection of the last `sup ls` may still be closing: count the quietest moment.
        var open = int.MaxValue;
        for (var i = 0; i < 10; i++, await Task.Delay(20))
            open = Math.Min(open, Directory.GetFiles($"/proc/{daemon}/fd").Length);
        // Three spare descriptors: enough to accept `sup stop` (the accepted socket and the next
        // listening instance) and answer it, too few to read /proc with (a folder and a file).
        // With two, the JIT daemon's next accept failed, and the runtime, which needs a
        // descriptor for the executable memory of code it compiles, died ("Out of memory.").
        await Prlimit(daemon, open + 3);
        try
        {
            var stop = await _sup.SupAsync("stop", "stubborn");
            if (stop.ExitCode == 0)
            {
                Assert.True(await Processes.AllGoneAsync([pid], TimeSpan.FromSeconds(5)), "the app was SIGKILLed, not left running");
                Assert.Contains("sent SIGKILL", _sup.DaemonLog);
            }
            else
            {
                // The JIT daemon may itself die of the limit (the runtime prints "Out of memory."
                // when it cannot get a descriptor for code it compiles; the native one compiles
                // nothing). Then the stop must not have claimed success, and the app, adopted by
                // the daemon the keeper starts, is stopped by the same command once it answers.
                Assert.False(Processes.IsAlive(daemon), $"a live daemon failed the stop: {stop}");
                Assert.Contains("Out of memory", File.ReadAllText(Path.Combine(_sup.Home, "daemon.out")));
                await Eventually.TrueAsync(async () => (await _sup.SupAsync("ping")).ExitCode == 0, TimeSpan.FromSeconds(15));
                await _sup.OkAsync("stop", "stubborn");
            }
            Assert.True(await Processes.AllGoneAsync([pid], TimeSpan.FromSeconds(5)), "the app was SIGKILLed, not left running");
        }
        finally
        {
            // Not when the daemon is gone: that failure would hide the one that said why.
            if (Processes.IsAlive(daemon)) await Prlimit(daemon, 1024);
        }
    }

    /// <summary>
    /// Starts app <paramref name="name"/>, whose script detaches `sleep SECONDS` with a double fork
    /// (its own session, re-parented away from the app) and then sleeps itself; returns the
    /// detached pid once the script has written it.
    /// </summary>
    private async Task<int> StartDetachingAppAsync(string name, string seconds, string extraKeys = "")
    {
        var pidFile = Path.Combine(_sup.Apps, name + ".detached.pid");
        _sup.WriteFile(name + ".sh", $"""
            #!/bin/sh
            ( setsid sleep {seconds} & echo $! > {pidFile}.tmp; mv {pidFile}.tmp {pidFile} )
            exec sleep 999
            """);
        await _sup.OkAsync("start", Ecosystem($"apps:\n  - name: {name}\n    script: ./{name}.sh\n{extraKeys}"));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.Exists(pidFile)), TimeSpan.FromSeconds(10)), "the app detached its grandchild");
        return int.Parse(File.ReadAllText(pidFile).Trim());
    }

    private static async Task Prlimit(int pid, int openFiles)
    {
        // The soft limit only: lowering the hard one could not be undone without CAP_SYS_RESOURCE.
        using var prlimit = Process.Start("prlimit", ["--pid", pid.ToString(), $"--nofile={openFiles}:"])!;
        await prlimit.WaitForExitAsync();
        Assert.Equal(0, prlimit.ExitCode);
    }

    /// <summary>
    /// Issue 14: each run's two output pipes were left to their finalizers, so a crash loop kept
    /// two descriptors per restart open until a GC ran.
    /// </summary>
    [Fact(Timeout = 90_000)]
    public async Task A_crash_loop_leaves_no_descriptor_open_in_the_daemon()
    {
        _sup.WriteFile("crash.sh", "#!/bin/sh\necho out\necho err >&2\nexit 1\n");
        await _sup.OkAsync("start", Ecosystem("""
            apps:
              - name: crashy
                script: ./crash.sh
                min_uptime: 10s
                exp_backoff_restart_delay: 1ms
                max_restarts: 10
            """));
        await Eventually.ValueAsync(() => _sup.AppAsync("crashy"),
            a => a.GetProperty("status").GetString() == "errored", TimeSpan.FromSeconds(30), "crashy errored");
        var daemon = _sup.DaemonPid!.Value;
        var before = Directory.GetFiles($"/proc/{daemon}/fd").Length;

        await _sup.OkAsync("restart", "crashy"); // ten more fast crashes
        await Eventually.ValueAsync(() => _sup.AppAsync("crashy"),
            a => a.GetProperty("status").GetString() == "errored", TimeSpan.FromSeconds(30), "crashy errored again");

        var after = 0;
        var settled = await Eventually.TrueAsync(() =>
        {
            after = Directory.GetFiles($"/proc/{daemon}/fd").Length;
            return Task.FromResult(after <= before + 2);
        }, TimeSpan.FromSeconds(5));
        Assert.True(settled, $"the daemon had {before} descriptors open before ten crashes and {after} after");
    }

    /// <summary>
    /// Issue 14: a process an app detaches with a double fork re-parented to init and survived
    /// `sup stop`. The daemon is now a child subreaper: the orphan becomes its child, is known by
    /// the app's SUP_APP_NAME, and is stopped (and reaped) with the app.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task A_double_forked_grandchild_is_adopted_by_the_daemon_and_dies_with_its_app()
    {
        var detached = await StartDetachingAppAsync("detach", "1000", "    kill_timeout: 2s\n");
        var root = (await _sup.AppAsync("detach")).GetProperty("pid").GetInt32();
        var daemon = _sup.DaemonPid!.Value;
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(ProcessControl.Current.TryGetInfo(detached)?.ParentPid == daemon),
            TimeSpan.FromSeconds(5)), "the orphan re-parented to the daemon, not to init");

        await _sup.OkAsync("stop", "detach");

        Assert.False(Processes.IsAlive(root));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(!Directory.Exists($"/proc/{detached}")), TimeSpan.FromSeconds(5)),
            "the detached grandchild is gone and reaped (kill(pid, 0) fails with ESRCH), not left running or a zombie");
        Assert.Contains($"adopted orphan pid {detached} of detach", _sup.DaemonLog);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_adopted_orphan_that_exits_on_its_own_is_reaped_not_left_a_zombie()
    {
        var detached = await StartDetachingAppAsync("brief", "0.3");

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(!Directory.Exists($"/proc/{detached}")), TimeSpan.FromSeconds(10)),
            "the daemon reaped the orphan it adopted once it exited");
        Assert.Equal("online", (await _sup.AppAsync("brief")).GetProperty("status").GetString());
    }

    /// <summary>
    /// Issue 13/14: a state.json that cannot be written made `sup start` report a failure
    /// ("Could not write ... state.json") while it had started the apps, and the state writer never
    /// wrote again. Now the start succeeds with a warning, and state.json is written once it can be.
    /// </summary>
    [Fact(Timeout = 90_000)]
    public async Task Start_with_an_unwritable_state_file_starts_the_apps_warns_and_writes_it_later()
    {
        var state = Path.Combine(_sup.Home, "state.json");
        Directory.CreateDirectory(state); // no rename can replace a directory, not even root's
        _sup.WriteFile("svc.sh", "#!/bin/sh\nexec sleep 300\n");

        var start = await _sup.SupAsync("start", Ecosystem("apps:\n  - name: svc\n    script: ./svc.sh\n"));

        Assert.True(start.ExitCode == 0, $"the apps started, so the start succeeded: {start}");
        Assert.Contains("state.json could not be written", start.Stderr);
        Assert.Equal("online", (await _sup.AppAsync("svc")).GetProperty("status").GetString());

        Directory.Delete(state);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.Exists(state) && File.ReadAllText(state).Contains("svc")),
            TimeSpan.FromSeconds(10)), "the writer retried and wrote state.json once it could");
        // The writer says so just after the rename: wait for the line, do not race it.
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.DaemonLog.Contains("written again after")),
            TimeSpan.FromSeconds(10)), _sup.DaemonLog);
    }
}
