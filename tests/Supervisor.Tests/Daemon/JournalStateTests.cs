using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Core.Config;
using Supervisor.Core.Daemon;
using Supervisor.Core.Supervision;
using Xunit;

namespace Supervisor.Tests.Daemon;

/// <summary>journal/NAME.state: where a service with no child stood, as the next daemon reads it back.</summary>
public sealed class JournalStateTests : IDisposable
{
    private readonly string _home = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Journal _journal;

    public JournalStateTests()
    {
        Directory.CreateDirectory(_home);
        _journal = new Journal(new SupPaths(_home), NullLogger.Instance);
        var specs = new[] { "web", "api", "db" }.Select(n => new AppSpec { Name = n, FileName = "/bin/sh", Arguments = ["-c", "exit 1"], Cwd = _home }).ToList();
        _journal.RecordApps(specs, [], new Dictionary<string, bool>());
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public void Waiting_and_errored_services_are_read_back_with_their_counts_and_reason_and_the_rest_are_not()
    {
        var until = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123);
        _journal.RecordStatus("web", AppStatus.Waiting, 3, 2, until, "fast crash 2 of 5; restarting in 10s");
        _journal.RecordStatus("api", AppStatus.Errored, 4, 5, null, "5 fast crashes,\nlast exit code 1");
        _journal.RecordStatus("db", AppStatus.Waiting, 1, 1, until, "x");
        _journal.RecordStatus("db", AppStatus.Online, 1, 1, null, "pid 42");

        var read = _journal.Read().Resumable;

        Assert.Equal(["api", "web"], read.Keys.Order());
        Assert.Equal(new ResumedState(AppStatus.Waiting, 3, 2, until, "fast crash 2 of 5; restarting in 10s"), read["web"]);
        Assert.Equal(new ResumedState(AppStatus.Errored, 4, 5, null, "5 fast crashes, last exit code 1"), read["api"]);
    }

    [Fact]
    public void A_stop_or_a_clean_shutdown_leaves_nothing_to_resume()
    {
        _journal.RecordStatus("web", AppStatus.Waiting, 3, 2, DateTimeOffset.UnixEpoch, "backing off");
        _journal.RecordStatus("web", AppStatus.Stopped, 3, 2, null, "user");
        _journal.RecordStatus("api", AppStatus.Errored, 1, 1, null, "gave up");
        Assert.Equal(["api"], _journal.Read().Resumable.Keys);

        _journal.Clear();

        Assert.Empty(_journal.Read().Resumable);
    }

    [Fact]
    public void A_deleted_apps_state_is_gone_so_a_new_app_of_its_name_starts_clean()
    {
        _journal.RecordStatus("api", AppStatus.Errored, 1, 1, null, "gave up");

        _journal.RecordApps([new AppSpec { Name = "web", FileName = "/bin/sh", Arguments = ["-c", "exit 1"], Cwd = _home }], [], new Dictionary<string, bool>());

        Assert.Empty(_journal.Read().Resumable);
    }
}
