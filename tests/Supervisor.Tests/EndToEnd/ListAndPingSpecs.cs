using System.Text.Json.Nodes;
using Supervisor.Tests.Rpc;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>
/// `sup ls --json`, `sup ping` and plain `sup ls`, the calls scripts repeat: what they print and
/// when they start the daemon. (They once had a fast path of their own; the native binary is it now.)
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ListAndPingSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _sup.DisposeAsync();

    [Fact]
    public async Task Ls_json_prints_the_daemons_list_as_the_wire_has_it()
    {
        _sup.WriteFile("a.sh", "#!/bin/sh\nexec sleep 1000\n");
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml", "apps:\n  - name: alpha\n    script: ./a.sh\n  - name: beta\n    script: ./a.sh\n"));

        var quick = await _sup.OkAsync("ls", "--json");
        await using var raw = await RawSocketClient.ConnectAsync(Path.Combine(_sup.Home, "sup.sock"));
        await raw.SendAsync(Wire.Frame("""{"jsonrpc":"2.0","id":1,"method":"list"}"""));
        var full = JsonNode.Parse(Wire.Body(await raw.ReadFrameAsync()))!["result"]!.ToJsonString();

        Assert.EndsWith("]\n", quick.Stdout);
        Assert.True(JsonNode.DeepEquals(WithoutLiveFigures(quick.Stdout), WithoutLiveFigures(full)), $"{quick.Stdout}\nvs\n{full}");
    }

    [Fact]
    public async Task Ls_json_with_no_daemon_starts_one_like_every_other_command()
    {
        var list = await _sup.OkAsync("ls", "--json");

        Assert.Equal("[]\n", list.Stdout);
        Assert.NotNull(_sup.DaemonPid);
    }

    [Fact]
    public async Task Ls_prints_the_same_table_as_the_full_command()
    {
        _sup.WriteFile("a.sh", "#!/bin/sh\nexec sleep 1000\n");
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml", "apps:\n  - name: alpha\n    script: ./a.sh\n  - name: beta\n    script: ./a.sh\n"));

        var quick = await _sup.OkAsync("ls");
        var full = await _sup.OkAsync("ls", "*");

        Assert.Equal(["id", "name", "kind", "status", "pid"], StableColumns(quick.Stdout)[0]);
        Assert.Equal(3, StableColumns(quick.Stdout).Length);
        Assert.Equal(StableColumns(full.Stdout), StableColumns(quick.Stdout));
        var alpha = StableColumns(quick.Stdout)[1];
        Assert.Equal(["0", "alpha", "service", "online"], alpha[..4]);
        Assert.True(int.Parse(alpha[4]) > 0);
    }

    [Fact]
    public async Task Ls_with_no_daemon_starts_one_and_says_there_are_no_apps()
    {
        var list = await _sup.OkAsync("ls");

        Assert.StartsWith("No apps.", list.Stdout);
        Assert.NotNull(_sup.DaemonPid);
    }

    [Fact]
    public async Task Ping_names_the_running_daemon()
    {
        await _sup.OkAsync("ls", "--json");

        var ping = await _sup.OkAsync("ping");

        Assert.Equal($"pong (daemon pid {_sup.DaemonPid})\n", ping.Stdout);
    }

    /// <summary>The first five columns of each table line (id to pid): uptime, CPU and memory move between calls.</summary>
    private static string[][] StableColumns(string table) =>
        table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(5).ToArray()).ToArray();

    /// <summary>Uptime, CPU and memory move between two calls; everything else must match.</summary>
    private static JsonNode WithoutLiveFigures(string json)
    {
        var apps = JsonNode.Parse(json)!.AsArray();
        foreach (var app in apps)
            foreach (var live in new[] { "uptime_ms", "cpu", "memory" })
                app!.AsObject().Remove(live);
        return apps;
    }
}
