using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Core;
using Supervisor.Core.Daemon;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.Daemon;

/// <summary>
/// A real FileSystemWatcher on a temp folder; the debounce runs on a manual clock, so a callback
/// can only happen when the test advances time.
/// </summary>
public sealed class ConfigWatcherTests : IAsyncLifetime
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly string _dir = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ManualTimeProvider _time = new();
    private int _calls;
    private ConfigWatcher _watcher = null!;

    private string File_ => Path.Combine(_dir, "ecosystem.yaml");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(File_, "apps: []\n");
        _watcher = Watch(_ =>
        {
            Interlocked.Increment(ref _calls);
            return Task.CompletedTask;
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _watcher.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private ConfigWatcher Watch(Func<CancellationToken, Task> changed) =>
        new(File_, changed, _time, NullLogger.Instance, Debounce);

    private Task<bool> DebounceArmedAsync() =>
        Eventually.TrueAsync(() => Task.FromResult(_time.PendingTimers > 0), Patience);

    /// <summary>
    /// Lets the quiet period pass. An event the watcher reads late restarts the period, so time
    /// moves on by whole periods until the callback came.
    /// </summary>
    private async Task AdvanceUntilCalledAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (Volatile.Read(ref _calls) == 0 && DateTime.UtcNow < deadline)
        {
            _time.Advance(Debounce);
            await Task.Delay(20);
        }
    }

    private Task<bool> CallsAsync(int expected) =>
        Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref _calls) == expected), Patience);

    [Fact]
    public async Task A_burst_of_writes_reloads_once_after_the_quiet_period()
    {
        File.AppendAllText(File_, "# one\n");
        File.AppendAllText(File_, "# two\n");
        File.AppendAllText(File_, "# three\n");
        Assert.True(await DebounceArmedAsync());

        _time.Advance(Debounce - TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, Volatile.Read(ref _calls));
        await AdvanceUntilCalledAsync();

        Assert.True(await CallsAsync(1));
    }

    [Fact]
    public async Task A_save_that_renames_a_new_file_over_the_old_one_is_seen()
    {
        var temporary = Path.Combine(_dir, ".ecosystem.yaml.swp");
        File.WriteAllText(temporary, "apps: []\n# new\n");
        File.Move(temporary, File_, overwrite: true);
        Assert.True(await DebounceArmedAsync());

        await AdvanceUntilCalledAsync();

        Assert.True(await CallsAsync(1));
    }

    [Fact]
    public async Task A_file_deleted_and_written_again_is_seen()
    {
        File.Delete(File_);
        File.WriteAllText(File_, "apps: []\n");
        Assert.True(await DebounceArmedAsync());

        await AdvanceUntilCalledAsync();

        Assert.True(await CallsAsync(1));
    }

    [Fact]
    public async Task Callbacks_never_overlap_and_a_change_during_one_runs_one_more_after_it()
    {
        await _watcher.DisposeAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var maxRunning = 0;
        _watcher = Watch(async _ =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            Interlocked.Increment(ref _calls);
            await release.Task;
            Interlocked.Decrement(ref running);
        });

        _watcher.Poke();
        _time.Advance(Debounce);
        Assert.True(await CallsAsync(1));
        _watcher.Poke();
        _time.Advance(Debounce);
        _watcher.Poke();
        _time.Advance(Debounce);
        Assert.Equal(1, Volatile.Read(ref _calls));

        release.SetResult();

        Assert.True(await CallsAsync(2), "the changes seen during the first callback run one more");
        Assert.Equal(1, Volatile.Read(ref maxRunning));
    }

    [Fact]
    public async Task A_callback_may_dispose_its_own_watcher()
    {
        await _watcher.DisposeAsync();
        var disposed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _watcher = Watch(async _ =>
        {
            await _watcher.DisposeAsync();
            disposed.SetResult();
        });

        _watcher.Poke();
        _time.Advance(Debounce);

        await disposed.Task.WaitAsync(Patience);
    }

    [Fact]
    public void Watching_a_file_in_a_folder_that_does_not_exist_is_a_clear_error()
    {
        var error = Assert.Throws<SupException>(() =>
            new ConfigWatcher(Path.Combine(_dir, "missing", "ecosystem.yaml"), _ => Task.CompletedTask, _time, NullLogger.Instance));

        Assert.Contains("its folder does not exist", error.Message);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
