using System.CommandLine;
using Supervisor.Core;

namespace Supervisor.Cli.Commands;

/// <summary>`sup init`: a commented starter ecosystem.yaml in the current folder, like `pm2 init`. Never overwrites.</summary>
public static class InitCommand
{
    public const string FileName = "ecosystem.yaml";

    /// <summary>Self-contained (commands run with sh, no scripts to create), so `sup start ecosystem.yaml` works at once.</summary>
    internal const string Template = """
        # sup ecosystem file, written by `sup init`.
        #   sup start ecosystem.yaml    start these apps (run it again after an edit: it applies the changes)
        #   sup ls, sup logs hello, sup describe hello, sup jobs, sup kill
        # Every key is described in sup's docs/ecosystem.md. Durations: 500ms, 10s, 5m, 6h, 1d.
        # Sizes: 10MB, 512K, 1G. For completion in VS Code (YAML extension), make this the first line:
        #   # yaml-language-server: $schema=<path or URL of sup's docs/ecosystem.schema.json>
        apps:
          # A service is kept alive: restarted when it exits, with a growing delay after fast crashes.
          - name: hello
            command: 'while true; do echo "hello from $GREETING"; sleep 5; done'
            env:
              GREETING: sup
            # script: ./watchers/gmail.py  # instead of command; interpreter from the extension (.py .sh .js .ps1)
            # args: ["--interval", "300"]
            # cwd: .                        # relative to this file's folder
            # min_uptime: 10s               # exiting sooner than this is a fast crash
            # max_restarts: 5               # fast crashes in a row before the app is errored
            # exp_backoff_restart_delay: 5s # wait 5s, 10s, 20s ... after fast crashes
            # max_memory_restart: 200MB     # restart when the whole process tree uses more
            # kill_timeout: 5s              # stop_signal (SIGTERM), then SIGKILL after this long
            # restart_after_errored: 10m    # after giving up, try again after this cool-down
            # ready: { tcp: 8080 }          # starting until this passes (or log/http/exec/notify; docs/health.md)
            # health: { http: "http://127.0.0.1:8080/health", interval: 10s, retries: 3 }  # restart when it fails
            # depends_on: [db]              # start after db is ready; restart_with: [db] to restart with it
            # notify:                       # tell someone (docs/notifications.md); also at the top of the file
            #   - webhook: https://hooks.slack.com/services/T000/B000/XXXX
            #     format: slack
            #     on: [errored, failed]

          # A job runs on a trigger instead; `sup jobs` and `sup history` show its runs.
          - name: tick
            command: 'echo "tick at $(date)"'
            cron: "*/15 * * * *"            # every 15 minutes; or instead: every: 6h
            # jitter: 30m                   # each run moves by a random 0..30m
            # timezone: Europe/Paris        # for cron and active_hours; default: the machine's
            # active_hours: "08:00-20:00"   # runs due outside the window wait for it
            # retry: { attempts: 3, delay: 1m }
            # on_file: { path: ./Inbox, pattern: "*.md", move_to: ./Done }  # one run per dropped file

        """;

    public static Command Create()
    {
        var command = new Command("init", $"Write a commented starter {FileName} in the current folder (never overwrites).");
        command.SetAction(_ =>
        {
            var path = Path.Combine(Environment.CurrentDirectory, FileName);
            Write(path);
            Console.WriteLine($"wrote {path}; `sup start {FileName}` starts it.");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <exception cref="SupException">A file is already there, or it cannot be written.</exception>
    public static void Write(string path)
    {
        try
        {
            // CreateNew: the check and the write are one step, so a file appearing meanwhile is not clobbered.
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(file);
            writer.Write(Template);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new SupException(SupError.AlreadyExists,
                $"{path} already exists; sup init never overwrites. Edit it, or move it away and run sup init again.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SupException(SupError.Io, $"Cannot write {path}: {ex.Message}");
        }
    }
}
