using Xunit;
using Supervisor.Core.Scheduling;
using Supervisor.Tests.TestSupport;

namespace Supervisor.Tests.Scheduling;

/// <summary>The on_file pickup rule, one poll at a time: a file is ready once its size and mtime held still across a poll.</summary>
public sealed class FileDropWatcherTests : IDisposable
{
    private readonly string _dir = JobHarness.NewDir();
    private readonly FileDropWatcher _watcher;

    public FileDropWatcherTests() => _watcher = new FileDropWatcher(_dir, "*.md", new ManualTimeProvider());

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Drop(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void A_file_is_ready_once_it_held_still_for_one_poll()
    {
        var note = Drop("note.md", "hello\n");

        Assert.Empty(_watcher.Poll());
        Assert.Equal([note], _watcher.Poll());
    }

    [Fact]
    public void A_file_still_being_written_is_not_ready_until_it_stops_growing()
    {
        var note = Drop("note.md", "part one\n");
        Assert.Empty(_watcher.Poll());

        File.AppendAllText(note, "part two\n");
        Assert.Empty(_watcher.Poll());

        Assert.Equal([note], _watcher.Poll());
    }

    [Fact]
    public void A_file_is_handed_over_once_and_again_only_after_it_changes()
    {
        var note = Drop("note.md", "v1\n");
        _watcher.Poll();
        Assert.Equal([note], _watcher.Poll());

        Assert.Empty(_watcher.Poll());
        Assert.Empty(_watcher.Poll());

        File.AppendAllText(note, "v2\n");
        Assert.Empty(_watcher.Poll());
        Assert.Equal([note], _watcher.Poll());
    }

    [Fact]
    public void A_file_that_leaves_and_comes_back_is_new_again()
    {
        var note = Drop("note.md", "v1\n");
        _watcher.Poll();
        _watcher.Poll();

        File.Delete(note);
        Assert.Empty(_watcher.Poll());
        Drop("note.md", "v1\n");
        _watcher.Poll();

        Assert.Equal([note], _watcher.Poll());
    }

    [Fact]
    public void Files_not_matching_the_pattern_and_folders_are_ignored()
    {
        Drop("note.txt", "no\n");
        Drop("note.md.tmp", "still being written\n");
        Directory.CreateDirectory(Path.Combine(_dir, "sub.md"));

        _watcher.Poll();

        Assert.Empty(_watcher.Poll());
    }

    [Fact]
    public void Ready_files_come_in_name_order()
    {
        var b = Drop("b.md", "b\n");
        var a = Drop("a.md", "a\n");
        var c = Drop("c.md", "c\n");

        _watcher.Poll();

        Assert.Equal([a, b, c], _watcher.Poll());
    }

    [Fact]
    public void A_missing_folder_has_no_files_and_is_no_error()
    {
        var watcher = new FileDropWatcher(Path.Combine(_dir, "missing"), "*", new ManualTimeProvider());

        Assert.Empty(watcher.Poll());
        Assert.Empty(watcher.Poll());
    }
}
