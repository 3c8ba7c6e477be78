using Supervisor.Core.Export;
using Supervisor.Tests.Config;
using Xunit;

namespace Supervisor.Tests.Export;

public sealed class SystemdExportTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_example_ecosystem_exports_units_that_systemd_analyze_verify_accepts()
    {
        var ecosystem = ExportTools.LoadExample();
        var result = SystemdExporter.Export(ecosystem.Apps, "ecosystem.example.yaml");

        Assert.Equal(
            ["api-server.service", "flaky-worker.service", "gmail-watcher.service", "heartbeat.service", "heartbeat.timer",
             "inbox.path", "inbox.service", "weekly-briefing.service", "weekly-briefing.timer"],
            result.Documents.Select(d => d.FileName).Order(StringComparer.Ordinal));
        await ExportTools.VerifyUnitsAsync(result.Documents);
    }

    [Fact]
    public async Task A_file_with_every_key_exports_units_that_systemd_analyze_verify_accepts()
    {
        var result = SystemdExporter.Export(ExportTools.LoadEveryKey(_dir.Path).Apps, "every-key.yaml");

        await ExportTools.VerifyUnitsAsync(result.Documents);
        // 90s with no window is a plain interval; nothing was refused.
        Assert.DoesNotContain(result.Notes, n => n.Contains("not exported", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.StartsWith("report: retry", StringComparison.Ordinal));
    }

    [Fact]
    public void An_app_ready_by_notify_is_a_Type_notify_unit_with_its_ready_timeout()
    {
        var units = SystemdExporter.Export(ExportTools.LoadEveryKey(_dir.Path).Apps, "every-key.yaml").Documents.ToDictionary(d => d.FileName, d => d.Text);

        Assert.Contains("Type=notify\n", units["once.service"]);
        Assert.Contains("TimeoutStartSec=45s\n", units["once.service"]);
        Assert.Contains("Type=exec\n", units["web@.service"]);
    }

    [Fact]
    public void A_service_carries_its_restart_stop_and_memory_rules()
    {
        var units = SystemdExporter.Export(ExportTools.LoadEveryKey(_dir.Path).Apps, "every-key.yaml").Documents.ToDictionary(d => d.FileName, d => d.Text);

        // instances: 3 is one template, told apart by %i; no per-instance files.
        Assert.DoesNotContain("web-0.service", units.Keys);
        var web = Lines(units["web@.service"]);
        Assert.Contains("Environment=\"SUP_INSTANCE=%i\"", web);
        Assert.Contains("Environment=\"MODE=prod\"", web);
        Assert.Contains("Environment=\"QUOTED=a \\\"b\\\" c\"", web);
        Assert.Contains("Restart=always", web);
        Assert.Contains("RestartPreventExitStatus=0 3", web);
        Assert.Contains("KillSignal=SIGINT", web);
        Assert.Contains("TimeoutStopSec=7s", web);
        Assert.Contains("KillMode=control-group", web);
        Assert.Contains("MemoryMax=" + (200L * 1024 * 1024), web);
        Assert.Contains("StartLimitBurst=4", web);
        // % and $ reach the program as written.
        Assert.Contains(web, l => l.StartsWith("ExecStart=\"/", StringComparison.Ordinal) && l.Contains("\"-e\"") && l.EndsWith("\"--port\" \"8080\" \"100%%\" \"$$HOME\"", StringComparison.Ordinal));

        var once = Lines(units["once.service"]);
        Assert.Contains("Restart=no", once);
        Assert.Contains("RestartSec=2s", once);
        Assert.Contains(once, l => l.StartsWith("StandardError=append:", StringComparison.Ordinal) && l.EndsWith("once.log", StringComparison.Ordinal));
    }

    [Fact]
    public void Jobs_become_timers_and_paths_with_oneshots()
    {
        var units = SystemdExporter.Export(ExportTools.LoadEveryKey(_dir.Path).Apps, "every-key.yaml").Documents.ToDictionary(d => d.FileName, d => d.Text);

        var report = Lines(units["report.timer"]);
        // Vixie's rule: the 1st OR a Monday, as two OnCalendar= lines.
        Assert.Contains("OnCalendar=Mon *-*-* 09:00:00 Europe/Paris", report);
        Assert.Contains("OnCalendar=*-*-01 09:00:00 Europe/Paris", report);
        Assert.Contains("Persistent=true", report);
        Assert.Equal(["ExecStart=\"/bin/sh\" \"-c\" \"echo one\"", "ExecStart=\"/bin/sh\" \"-c\" \"echo two\""],
            Lines(units["report.service"]).Where(l => l.StartsWith("ExecStart=", StringComparison.Ordinal)));
        Assert.Contains("Type=oneshot", Lines(units["report.service"]));

        var tick = Lines(units["tick.timer"]);
        Assert.Contains("OnCalendar=*-*-* 09,10,11,12,13,14,15,16:00/15:00", tick);
        Assert.Contains("RandomizedDelaySec=30s", tick);

        Assert.Contains("OnUnitActiveSec=90s", Lines(units["poll.timer"]));
        Assert.Contains(Lines(units["drop.path"]), l => l.StartsWith("PathExistsGlob=", StringComparison.Ordinal) && l.EndsWith("/in/*.csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_on_file_oneshot_runs_the_app_per_file_and_moves_it_as_sup_does()
    {
        var ecosystem = ExportTools.LoadEveryKey(_dir.Path, only: "drop");
        var app = ecosystem.Apps.Single();
        File.WriteAllText(Path.Combine(_dir.Path, "app.sh"), "#!/bin/sh\necho \"$SUP_FILE|$1\" >> \"$(dirname \"$0\")/ran.txt\"\n");
        File.WriteAllText(Path.Combine(_dir.Path, "in", "a.csv"), "x");
        File.WriteAllText(Path.Combine(_dir.Path, "in", "b.txt"), "x");

        var loop = SystemdExporter.FileLoop(app, app.Job!, app.Job!.OnFile!);
        var (exit, output) = await ExportTools.RunAsync("/bin/sh", ["-c", loop], _dir.Path);

        Assert.True(exit == 0, output);
        var file = Path.Combine(_dir.Path, "in", "a.csv");
        Assert.Equal($"{file}|{file}\n", File.ReadAllText(Path.Combine(_dir.Path, "ran.txt")));
        Assert.True(File.Exists(Path.Combine(_dir.Path, "done", "a.csv")));
        Assert.True(File.Exists(Path.Combine(_dir.Path, "in", "b.txt")));
    }

    [Fact]
    public void Active_hours_off_the_hour_are_refused_with_the_reason()
    {
        var file = Path.Combine(_dir.Path, "eco.yaml");
        File.WriteAllText(Path.Combine(_dir.Path, "a.sh"), "#!/bin/sh\n");
        File.WriteAllText(file, "apps:\n  - name: a\n    script: ./a.sh\n    cron: \"*/5 * * * *\"\n    active_hours: \"09:30-17:00\"\n");
        var result = SystemdExporter.Export(Supervisor.Core.Config.EcosystemLoader.Load(file, new()).Apps, file);

        Assert.Empty(result.Documents);
        Assert.Equal(["a: not exported: active_hours 09:30-17:00 does not start and end on whole hours; systemd timers cannot hold it (use whole hours)."], result.Notes);
    }

    private static string[] Lines(string text) => text.Split('\n');
}
