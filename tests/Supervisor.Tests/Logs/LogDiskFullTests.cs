using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Supervisor.Core.Config;
using Supervisor.Core.Logs;
using Xunit;

namespace Supervisor.Tests.Logs;

/// <summary>
/// A full disk drops app output (the app is never blocked), and says so: once in daemon.log when
/// writes start failing, once when they work again, with the count (issue 14). Uses a 256 KiB
/// tmpfs; where mounting is not allowed (not root) the tests pass without checking anything.
/// </summary>
public sealed class LogDiskFullTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private bool _mounted;

    public async Task InitializeAsync() => _mounted = await RunAsync("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", _dir.Path) == 0;

    public async Task DisposeAsync()
    {
        if (_mounted) await RunAsync("umount", "-l", _dir.Path);
        _dir.Dispose();
    }

    private static async Task<int> RunAsync(string program, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            await process.WaitForExitAsync();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    private static byte[] Lines(int from, int count) =>
        Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(from, count).Select(i => $"{i:D6} {new string('x', 1016)}\n")));

    [Fact(Timeout = 60_000)]
    public async Task Lines_dropped_on_a_full_disk_are_counted_and_reported_once_per_episode()
    {
        if (!_mounted) return;
        var log = new ListLogger();
        var spec = new AppSpec { Name = "web", FileName = "/bin/true", Arguments = [], Cwd = "/", OutFile = _dir.File("web-out.log") };
        var logs = AppLogs.Open(spec, _dir.Path, TimeProvider.System, log);
        await using (logs)
        {
            // 400 KiB of lines, 10 at a time, into 256 KiB.
            for (var i = 0; i < 400; i += 10)
            {
                await logs.Out.WriteAsync(Lines(i, 10), CancellationToken.None);
            }

            var kept = File.ReadAllLines(logs.OutPath).Length;
            Assert.True(logs.DroppedLines > 0, "nothing was dropped");
            Assert.Equal(400, kept + logs.DroppedLines);
            Assert.Equal(logs.DroppedLines * 1024, logs.Out.DroppedBytes);
            var failed = Assert.Single(log.Messages, m => m.Contains("cannot write"));
            Assert.Contains("web: cannot write " + logs.OutPath, failed);

            // Space again (sup flush empties the file): one message with what the episode dropped.
            var dropped = logs.DroppedLines;
            await logs.TruncateAsync(CancellationToken.None);
            await logs.Out.WriteAsync(Lines(1000, 1), CancellationToken.None);

            var recovered = Assert.Single(log.Messages, m => m.Contains(" again;"));
            Assert.Equal($"web: writing {logs.OutPath} again; {dropped} lines ({dropped * 1024} bytes) were dropped while it could not be written ({dropped} in all)", recovered);
            Assert.Single(log.Messages, m => m.Contains("cannot write"));
            Assert.Equal(dropped, logs.DroppedLines);
        }
    }

    private sealed class ListLogger : ILogger
    {
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages
        {
            get { lock (_messages) return [.. _messages]; }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_messages) _messages.Add(formatter(state, exception));
        }
    }
}
