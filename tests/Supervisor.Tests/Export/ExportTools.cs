using System.Diagnostics;
using Supervisor.Core.Config;
using Supervisor.Core.Export;
using Xunit;

namespace Supervisor.Tests.Export;

/// <summary>The real validators the export tests run: systemd-analyze and the offline Kubernetes schema check.</summary>
internal static class ExportTools
{
    public static string RepoRoot
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Supervisor.sln"))) folder = folder.Parent;
            Assert.NotNull(folder);
            return folder.FullName;
        }
    }

    public static string SystemdAnalyze
    {
        get
        {
            var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
            Assert.True(analyze is not null,
                "systemd-analyze is not installed; install it (`apt-get install -y --no-install-recommends systemd`, as .ci/run does) to verify the exported units.");
            return analyze!;
        }
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> args, string? cwd = null)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (cwd is not null) info.WorkingDirectory = cwd;
        info.Environment["TZ"] = "UTC";
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Writes the units into a folder and runs `systemd-analyze verify` on all of them: it must exit 0 and name none of them.</summary>
    public static async Task VerifyUnitsAsync(IReadOnlyList<ExportDocument> units)
    {
        Assert.NotEmpty(units);
        var dir = Directory.CreateTempSubdirectory("sup-export-").FullName;
        try
        {
            foreach (var unit in units) await File.WriteAllTextAsync(Path.Combine(dir, unit.FileName), unit.Text);
            var (exit, output) = await RunAsync(SystemdAnalyze, ["verify", .. units.Select(u => Path.Combine(dir, u.FileName))], dir);
            Assert.True(exit == 0, output);
            // Warnings (an unknown key, a bad value) leave the exit code at 0: none may name our units.
            foreach (var unit in units) Assert.DoesNotContain(unit.FileName, output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Validates the documents with tests/k8s-validate (kubernetes-models); returns the validator's output.</summary>
    public static async Task<(int ExitCode, string Output)> ValidateKubernetesAsync(IReadOnlyList<ExportDocument> documents)
    {
        var validator = Path.Combine(RepoRoot, "tests", "k8s-validate");
        var node = new[] { "/usr/bin/node", "/usr/local/bin/node" }.FirstOrDefault(File.Exists);
        Assert.True(node is not null, "node is not installed; the Kubernetes export tests run tests/k8s-validate/validate.js with it (apt-get install nodejs npm).");
        Assert.True(Directory.Exists(Path.Combine(validator, "node_modules", "kubernetes-models")),
            $"The Kubernetes schema validator is not installed: run `npm ci --prefix {validator}` (.ci/run does).");
        var dir = Directory.CreateTempSubdirectory("sup-export-").FullName;
        try
        {
            foreach (var doc in documents) await File.WriteAllTextAsync(Path.Combine(dir, doc.FileName), doc.Text);
            return await RunAsync(node!, [Path.Combine(validator, "validate.js"), .. documents.Select(d => Path.Combine(dir, d.FileName))]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static async Task AssertValidKubernetesAsync(IReadOnlyList<ExportDocument> documents)
    {
        Assert.NotEmpty(documents);
        var (exit, output) = await ValidateKubernetesAsync(documents);
        Assert.True(exit == 0, output);
        Assert.Equal(documents.Count, output.Split('\n').Count(l => l.StartsWith("ok ", StringComparison.Ordinal)));
    }

    public static Ecosystem LoadExample() => EcosystemLoader.Load(Path.Combine(RepoRoot, "ecosystem.example.yaml"), new LoadOptions());

    /// <summary>An ecosystem using every key the exporters map, with real scripts in <paramref name="dir"/>.</summary>
    public static Ecosystem LoadEveryKey(string dir, string? only = null)
    {
        var script = Path.Combine(dir, "app.sh");
        File.WriteAllText(script, "#!/bin/sh\necho hi\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, File.GetUnixFileMode(script) | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(dir, "in"));
        Directory.CreateDirectory(Path.Combine(dir, "done"));
        var file = Path.Combine(dir, "every-key.yaml");
        File.WriteAllText(file, """
            apps:
              - name: web
                script: ./app.sh
                interpreter: sh
                interpreter_args: ["-e"]
                args: ["--port", "8080", "100%", "$HOME"]
                cwd: .
                env: { MODE: "dev", QUOTED: "a \"b\" c" }
                env_production: { MODE: "prod" }
                autostart: true
                autorestart: true
                min_uptime: 2s
                max_restarts: 3
                exp_backoff_restart_delay: 500ms
                stop_exit_codes: [0, 3]
                kill_timeout: 7s
                stop_signal: SIGINT
                max_memory_restart: 200M
                instances: 3
                out_file: ./web.out.log
                error_file: ./web.err.log
                log_date_format: "HH:mm"
                log_max_size: 1M
                log_retain: 2
                log_compress: true
                pid_file: ./web.pid
                ready: { http: "http://127.0.0.1:8080/ready?full=1" }
                health: { tcp: 8080, interval: 5s, timeout: 1s, retries: 2, start_period: 10s }
              - name: once
                command: sleep 1000
                autorestart: false
                restart_delay: 2s
                out_file: ./once.log
                ready: { notify: true }
                ready_timeout: 45s
                error_file: ./once.log
              - name: report
                cron: "0 9 1 * MON"
                timezone: Europe/Paris
                run_missed: true
                retry: { attempts: 2, delay: 1s, multiplier: 2 }
                steps: ["echo one", "echo two"]
                enabled: false
              - name: tick
                script: ./app.sh
                every: 15m
                jitter: 30s
                active_hours: "09:00-17:00"
              - name: poll
                script: ./app.sh
                every: 90s
              - name: drop
                script: ./app.sh
                on_file: { path: ./in, pattern: "*.csv", move_to: ./done }
                concurrency: 2
            """);
        return EcosystemLoader.Load(file, new LoadOptions { EnvProfile = "production", Only = only });
    }
}
