using System.Collections.Concurrent;
using System.Text.Json;
using Supervisor.Core.Platform;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>`sup logs`, `sup flush` and capture settings, as a user drives them.</summary>
public sealed class LogSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    private string Ecosystem(string body) => _sup.WriteFile("ecosystem.yaml", body);

    private async Task StartTalkerAsync(string extra = "", string errorsLandIn = "err")
    {
        _sup.WriteFile("talk.sh", "#!/bin/sh\ni=0\nwhile [ $i -lt 30 ]; do echo \"out $i\"; echo \"err $i\" >&2; i=$((i+1)); done\nexec sleep 300\n");
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: talk\n    script: ./talk.sh\n" + extra));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("talk", errorsLandIn).Contains("err 29")), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Logs_nostream_prints_the_last_lines_of_both_streams_prefixed()
    {
        await StartTalkerAsync();

        var logs = await _sup.OkAsync("logs", "talk", "--lines", "3", "--nostream");

        var lines = logs.Stdout.Trim().Split('\n');
        Assert.Equal(["talk out| out 27", "talk out| out 28", "talk out| out 29", "talk err| err 27", "talk err| err 28", "talk err| err 29"], lines);
    }

    [Fact]
    public async Task Err_and_out_select_one_stream_and_json_gives_one_object_per_line()
    {
        await StartTalkerAsync();

        var err = await _sup.OkAsync("logs", "talk", "--err", "--lines", "2", "--nostream");
        var json = await _sup.OkAsync("logs", "talk", "--out", "--lines", "2", "--nostream", "--json");

        Assert.Equal(["talk err| err 28", "talk err| err 29"], err.Stdout.Trim().Split('\n'));
        var objects = json.Stdout.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, objects.Count);
        Assert.Equal("talk", objects[1].GetProperty("app").GetString());
        Assert.Equal("out", objects[1].GetProperty("stream").GetString());
        Assert.Equal("out 29", objects[1].GetProperty("line").GetString());
        Assert.True(DateTimeOffset.TryParse(objects[1].GetProperty("time").GetString(), out _));
    }

    [Fact]
    public async Task Json_lines_keep_the_text_as_written()
    {
        _sup.WriteFile("say.sh", "#!/bin/sh\necho 'héllo <b> & +1'\nexec sleep 300\n");
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: say\n    script: ./say.sh\n"));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("say").Contains("héllo")), TimeSpan.FromSeconds(10)));

        var json = await _sup.OkAsync("logs", "say", "--out", "--lines", "1", "--nostream", "--json");

        // Readable to grep as well as to a JSON parser: no \u00E9, \u003C or \u002B.
        Assert.Contains("\"line\":\"héllo <b> & +1\"", json.Stdout);
        Assert.Matches("\"time\":\"[^\"]+[+-]\\d\\d:\\d\\d\"", json.Stdout);
        Assert.Equal("héllo <b> & +1", JsonDocument.Parse(json.Stdout).RootElement.GetProperty("line").GetString());
    }

    [Fact]
    public async Task Logs_of_an_unknown_app_is_a_clear_error()
    {
        var result = await _sup.SupAsync("logs", "nosuch", "--nostream");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("No app named 'nosuch'. `sup ls` lists apps.", result.Stderr.Trim());
    }

    [Fact]
    public async Task A_log_file_that_cannot_be_opened_is_a_readable_one_line_error_and_starts_nothing()
    {
        var result = await _sup.SupAsync("start", Ecosystem("apps:\n  - name: b\n    script: sleep\n    args: [\"300\"]\n    out_file: /proc/nope/b.log\n"));

        Assert.NotEqual(0, result.ExitCode);
        var message = Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.StartsWith("Cannot open the log file '/proc/nope/b.log': ", message);
        // The runtime's own words, not a resource key such as "IO_FileNotFound_FileName".
        Assert.DoesNotMatch(@"\b[A-Z][A-Za-z]*_[A-Za-z_]+\b", message);
        Assert.Empty(await _sup.ListAsync());
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Logs_follows_new_lines_live_and_across_rotation()
    {
        _sup.WriteFile("ticker.sh", "#!/bin/sh\ni=0\nwhile true; do echo \"tick $i $(printf '%0200d' 0)\"; i=$((i+1)); sleep 0.01; done\n");
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: ticker\n    script: ./ticker.sh\n    log_max_size: 64K\n    log_retain: 3\n"));
        using var follower = _sup.StartInteractive("logs", "ticker", "--out", "--lines", "0");
        var seen = new ConcurrentQueue<string>();
        _ = Task.Run(async () =>
        {
            while (await follower.StandardOutput.ReadLineAsync() is { } line) seen.Enqueue(line);
        });

        // 64 KiB at ~200 bytes a line rotates every ~320 lines: wait for two rotations.
        var rotated = Path.Combine(_sup.Home, "logs", "ticker-out.log.2");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.Exists(rotated)), TimeSpan.FromSeconds(30)), "the log rotated twice");
        var countAtRotation = seen.Count;
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(seen.Count > countAtRotation + 50), TimeSpan.FromSeconds(15)),
            "lines keep arriving after the rotation");
        ProcessControl.Current.Signal(follower.Pid, Signals.SIGINT);
        Assert.True(await follower.ExitsWithinAsync(TimeSpan.FromSeconds(10)), $"Ctrl+C ends `sup logs`; stderr: {follower.Stderr}");

        var numbers = seen.Select(l => int.Parse(l.Split(' ')[3])).ToList();
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers); // no line lost or repeated while following
    }

    [Fact]
    public async Task Logs_piped_into_head_ends_when_head_has_its_lines()
    {
        _sup.WriteFile("ticker.sh", "#!/bin/sh\ni=0\nwhile true; do echo \"tick $i\"; i=$((i+1)); sleep 0.05; done\n");
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: ticker\n    script: ./ticker.sh\n"));

        // The runtime's console stream drops writes into a closed pipe, so without care
        // `sup logs` would follow forever after head has gone; timeout bounds the test.
        var output = await _sup.ShellAsync("bash", "-c", "timeout 20 sup logs ticker --out --lines 0 | head -n 3; echo \"sup exited ${PIPESTATUS[0]}\"");

        var lines = output.Trim().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.All(lines[..3], l => Assert.Matches(@"^ticker out\| tick \d+$", l));
        Assert.Equal("sup exited 0", lines[3]);
    }

    [Fact]
    public async Task Logs_piped_into_a_reader_that_stops_ends_even_when_the_app_is_quiet()
    {
        _sup.WriteFile("quiet.sh", "#!/bin/sh\necho 'ERROR once'\nexec sleep 300\n");
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: quiet\n    script: ./quiet.sh\n"));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_sup.ReadLog("quiet").Contains("ERROR once")), TimeSpan.FromSeconds(10)));

        // grep leaves after its match, and the app writes nothing more: `sup logs` must notice
        // the closed pipe by itself (timeout bounds the test and says 124 if it did not).
        var output = await _sup.ShellAsync("bash", "-c", "timeout 20 sup logs quiet --out --lines 5 | grep -m1 ERROR; echo \"sup exited ${PIPESTATUS[0]}\"");

        Assert.Equal("quiet out| ERROR once\nsup exited 0\n", output);
    }

    [Fact]
    public async Task Logs_redirected_to_a_file_shares_it_with_what_the_shell_writes_next()
    {
        await StartTalkerAsync();

        var both = Path.Combine(_sup.Apps, "both.txt");

        await _sup.ShellAsync("sh", "-c", $"{{ echo before; sup logs talk --out --lines 2 --nostream; echo after; }} > '{both}'");

        Assert.Equal("before\ntalk out| out 28\ntalk out| out 29\nafter\n", File.ReadAllText(both));
    }

    [Fact]
    public async Task Flush_empties_the_files_while_the_app_keeps_writing_whole_lines()
    {
        _sup.WriteFile("writer.sh", "#!/bin/sh\ni=0\nwhile true; do echo \"line $i end\"; i=$((i+1)); done\n");
        await _sup.OkAsync("start", Ecosystem("apps:\n  - name: writer\n    script: ./writer.sh\n"));
        var log = Path.Combine(_sup.Home, "logs", "writer-out.log");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(File.Exists(log) && new FileInfo(log).Length > 2_000_000), TimeSpan.FromSeconds(20)));

        var beforeFlush = LastNumber(log);

        await _sup.OkAsync("flush", "writer");
        await _sup.OkAsync("stop", "writer");

        var lines = File.ReadAllLines(log);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches(@"^line \d+ end$", line));
        Assert.True(int.Parse(lines[0].Split(' ')[1]) > beforeFlush, "what was written before the flush is gone");
    }

    private static int LastNumber(string log)
    {
        var text = File.ReadAllText(log);
        var last = text[..text.LastIndexOf('\n')].Split('\n')[^1];
        return int.Parse(last.Split(' ')[1]);
    }

    [Fact]
    public async Task Date_format_prefixes_lines_and_an_error_file_naming_the_out_file_uses_one_file()
    {
        // What merge_logs did before it took PM2's meaning (instances share their files).
        var outFile = Path.Combine(_sup.Home, "logs", "talk-out.log");
        await StartTalkerAsync($"    out_file: {outFile}\n    error_file: {outFile}\n    log_date_format: \"yyyy-MM-dd\"\n", errorsLandIn: "out");

        var merged = _sup.ReadLog("talk");

        Assert.False(File.Exists(Path.Combine(_sup.Home, "logs", "talk-err.log")));
        Assert.Contains($"{DateTime.Now:yyyy-MM-dd}: out 0\n", merged);
        Assert.Contains($"{DateTime.Now:yyyy-MM-dd}: err 0\n", merged);
    }

    [Fact]
    public async Task Output_is_appended_across_restarts()
    {
        await StartTalkerAsync();

        await _sup.OkAsync("restart", "talk");

        Assert.True(await Eventually.TrueAsync(
            () => Task.FromResult(_sup.ReadLog("talk").Split('\n').Count(l => l == "out 29") == 2), TimeSpan.FromSeconds(10)));
    }
}
