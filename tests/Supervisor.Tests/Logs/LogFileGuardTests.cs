using System.Diagnostics;
using System.Text;
using Supervisor.Core;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
using Xunit;

namespace Supervisor.Tests.Logs;

/// <summary>
/// Log files are never written through a symlink nor into another user's file (issue 14): in a
/// world-writable folder anyone could otherwise aim the daemon at any file.
/// </summary>
public sealed class LogFileGuardTests : IDisposable
{
    private const string Kept = "precious\n";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Target() => WriteFile("target", Kept);

    private string WriteFile(string name, string content)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, content);
        return path;
    }

    private static LogFileOptions Options(string path, long maxSize = 10_000, int retain = 1) => new(path, maxSize, retain, false);

    [Fact]
    public async Task A_log_path_that_is_a_symlink_is_refused_and_its_target_untouched()
    {
        var target = Target();
        var path = _dir.File("app-out.log");
        File.CreateSymbolicLink(path, target);

        await using var file = new RotatingLogFile(Options(path), TimeProvider.System);
        await file.WriteAsync("line\n"u8.ToArray(), CancellationToken.None);
        await file.TruncateAsync(CancellationToken.None);

        Assert.Equal($"'{path}' is a symbolic link; sup does not write logs through links (another user could aim it at any file). Remove the link.", file.RefusedAtOpen?.Message);
        Assert.Equal(1, file.DroppedLines);
        Assert.Equal(Kept, File.ReadAllText(target));
    }

    [Fact]
    public async Task A_log_file_owned_by_another_user_is_refused()
    {
        if (OperatingSystem.IsWindows() || Libc.GetEffectiveUid() != 0)
        {
            return; // chown to another user needs root
        }

        var path = WriteFile("app-out.log", Kept);
        using (var chown = Process.Start("chown", ["65534", path]))
        {
            await chown.WaitForExitAsync(CancellationToken.None);
        }

        await using var file = new RotatingLogFile(Options(path), TimeProvider.System);
        await file.WriteAsync("line\n"u8.ToArray(), CancellationToken.None);

        Assert.Contains($"'{path}' belongs to uid 65534, not to this user (uid 0)", file.RefusedAtOpen?.Message);
        Assert.Equal(Kept, File.ReadAllText(path));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_fifo_at_the_log_path_is_refused_without_blocking()
    {
        var path = _dir.File("app-out.log");
        using (var mkfifo = Process.Start("mkfifo", [path]))
        {
            await mkfifo.WaitForExitAsync(CancellationToken.None);
        }

        var file = await Task.Run(() => new RotatingLogFile(Options(path), TimeProvider.System));
        await using (file)
        {
            Assert.Contains("is a FIFO or device, not a regular file", file.RefusedAtOpen?.Message);
        }
    }

    [Fact]
    public async Task A_refused_log_is_written_again_once_the_path_is_a_file_of_its_own()
    {
        var path = _dir.File("app-out.log");
        File.CreateSymbolicLink(path, Target());
        var recovered = new List<LogFileRecoveredEventArgs>();
        await using var file = new RotatingLogFile(Options(path), TimeProvider.System);
        file.Recovered += (_, e) => recovered.Add(e);
        await file.WriteAsync("lost\n"u8.ToArray(), CancellationToken.None);

        File.Delete(path);
        await file.WriteAsync("kept\n"u8.ToArray(), CancellationToken.None);

        Assert.Equal("kept\n", File.ReadAllText(path));
        Assert.Equal(1, Assert.Single(recovered).DroppedLines);
    }

    [Fact]
    public async Task A_symlink_planted_before_a_reopen_gets_neither_appends_nor_flush()
    {
        var target = Target();
        var path = _dir.File("app-out.log");
        var failures = new List<LogFileErrorEventArgs>();
        await using var file = new RotatingLogFile(Options(path, maxSize: 100), TimeProvider.System);
        file.Failed += (_, e) => failures.Add(e);
        await file.WriteAsync(Encoding.UTF8.GetBytes(new string('a', 59) + "\n"), CancellationToken.None);

        // The live file swapped for a link, and the rotation made to fail, so the file is re-opened by name.
        File.Move(path, path + ".orig");
        File.CreateSymbolicLink(path, target);
        Directory.CreateDirectory(path + ".1/blocker");
        await file.WriteAsync(Encoding.UTF8.GetBytes(new string('b', 59) + "\n"), CancellationToken.None);
        await file.TruncateAsync(CancellationToken.None);

        Assert.Equal(Kept, File.ReadAllText(target));
        Assert.Equal(60, file.DroppedBytes);
        Assert.Contains(failures, f => f.Exception is UnsafeFileException && f.Exception.Message.Contains("symbolic link"));
    }

    [Fact]
    public async Task An_own_regular_log_file_is_appended_to_as_before()
    {
        var path = WriteFile("app-out.log", "old\n");

        await using (var file = new RotatingLogFile(Options(path), TimeProvider.System))
        {
            await file.WriteAsync("new\n"u8.ToArray(), CancellationToken.None);
        }

        Assert.Equal("old\nnew\n", File.ReadAllText(path));
    }
}
