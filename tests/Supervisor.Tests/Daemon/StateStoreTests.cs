using Microsoft.Extensions.Logging;
using Supervisor.Core.Daemon;
using Supervisor.Tests.Scheduling;
using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.Daemon;

/// <summary>The state writer under a failing disk: it logs, retries, and writes again when it can.</summary>
public sealed class StateStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ManualTimeProvider _clock = new();
    private readonly LogCapture _log = new();

    public StateStoreTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string StatePath => Path.Combine(_folder, "state.json");

    private StateStore Open() => new(StatePath, _log.CreateLogger("state"), _clock);

    /// <summary>Root may write anywhere, but not rename a file over a directory: a write that fails for anyone.</summary>
    private void BlockWrites() => Directory.CreateDirectory(StatePath);

    private void UnblockWrites() => Directory.Delete(StatePath);

    /// <summary>Moves the clock past each delay the writer arms until <paramref name="done"/> holds.</summary>
    private async Task<bool> AdvanceUntilAsync(Func<bool> done) =>
        await Eventually.TrueAsync(() =>
        {
            if (_clock.PendingTimers > 0) _clock.Advance(TimeSpan.FromSeconds(1));
            return Task.FromResult(done());
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(20));

    [Fact(Timeout = 30_000)]
    public async Task A_failed_write_is_logged_retried_and_written_once_the_disk_accepts_it()
    {
        BlockWrites();
        await using var store = Open();

        store.Update(s => s.Desired["web"] = "running");
        Assert.True(await AdvanceUntilAsync(() => _log.Contains("could not write")), "the failure is logged");
        Assert.NotNull(store.WriteProblem);
        Assert.True(await AdvanceUntilAsync(() => _log.Contains("(attempt 2)")), "and retried without any new change");

        UnblockWrites();
        Assert.True(await AdvanceUntilAsync(() => File.Exists(StatePath)), "written again once it can be");
        Assert.Contains("\"web\": \"running\"", File.ReadAllText(StatePath).Replace("\":\"", "\": \""));
        Assert.Null(store.WriteProblem);
        Assert.True(_log.Contains("written again after"));

        // And it keeps writing later changes.
        store.Update(s => s.Desired["api"] = "stopped");
        Assert.True(await AdvanceUntilAsync(() => File.ReadAllText(StatePath).Contains("api")), "a later change is written too");
    }

    [Fact(Timeout = 30_000)]
    public async Task Flush_and_dispose_never_throw_when_the_write_fails()
    {
        BlockWrites();
        var store = Open();
        store.Update(s => s.Desired["web"] = "running");

        Assert.False(store.Flush());
        await store.DisposeAsync(); // threw before: the SupException of AtomicFile went through the IOException catch

        Assert.True(_log.Contains("could not write"));
    }
}
