using System.Diagnostics;
using Supervisor.Core.Platform;
using Xunit;

namespace Supervisor.Tests.Daemon;

/// <summary>A crash mid-write leaves NAME.tmp-PID-HEX behind (a dump.yaml one holds every secret): the daemon deletes them at start (issue 14).</summary>
public sealed class TempFileLeftoverTests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Touch(string name)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, "DB_PASS: hunter2\n");
        return path;
    }

    private static async Task<int> DeadPidAsync()
    {
        using var process = Process.Start("true")!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    [Fact]
    public async Task Temp_files_of_a_dead_writer_are_deleted_and_everything_else_is_kept()
    {
        var dead = await DeadPidAsync();
        var leftover = Touch($"dump.yaml.tmp-{dead}-0a1b2c3d");
        var pidLeftover = Touch($"web.pid.tmp-{dead}-ff");
        var live = Touch($"state.json.tmp-{Environment.ProcessId}-00000001");
        var foreign = Touch("notes.tmp-backup");
        var dump = Touch("dump.yaml");

        var deleted = AtomicFile.DeleteLeftovers(_dir);

        Assert.Equal([leftover, pidLeftover], deleted.Order(StringComparer.Ordinal));
        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(foreign));
        Assert.True(File.Exists(dump));
    }

    [Fact]
    public void A_missing_folder_deletes_nothing() =>
        Assert.Empty(AtomicFile.DeleteLeftovers(Path.Combine(_dir, "nowhere")));
}
