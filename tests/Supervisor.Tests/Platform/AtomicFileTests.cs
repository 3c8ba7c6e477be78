using System.Text;
using Supervisor.Core;
using Supervisor.Core.Platform;
using Xunit;

namespace Supervisor.Tests.Platform;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string folder = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);

    public AtomicFileTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Text_round_trips_without_a_byte_order_mark_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(folder, "state.json");

        AtomicFile.WriteAllText(path, "{\"name\":\"wéb\"}");

        Assert.Equal("{\"name\":\"wéb\"}"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(["state.json"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Existing_file_is_replaced_whole()
    {
        var path = Path.Combine(folder, "dump.json");
        File.WriteAllText(path, new string('x', 10_000));

        AtomicFile.WriteAllBytes(path, "short"u8.ToArray());

        Assert.Equal("short", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Reader_racing_many_rewrites_never_sees_a_torn_file()
    {
        var path = Path.Combine(folder, "race.txt");
        var contents = new[] { new string('a', 100_000), new string('b', 50_000) };
        AtomicFile.WriteAllText(path, contents[0]);
        var torn = 0;
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var text = File.ReadAllText(path);
                if (!contents.Contains(text))
                {
                    torn++;
                }
            }
        });

        for (var i = 0; i < 200; i++)
        {
            AtomicFile.WriteAllText(path, contents[i % 2]);
        }

        stop.Cancel();
        await reader;
        Assert.Equal(0, torn);
        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public void Write_into_a_missing_folder_is_a_clear_error_and_leaves_nothing()
    {
        var path = Path.Combine(folder, "missing", "state.json");

        // A platform exception: only the daemon/RPC edge makes a SupException of it.
        var error = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "x"));

        Assert.Contains(path, error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }
}
