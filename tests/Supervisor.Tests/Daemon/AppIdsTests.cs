using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Core.Daemon;
using Supervisor.Core.Supervision.Cluster;
using Xunit;

namespace Supervisor.Tests.Daemon;

/// <summary>PM2's numeric ids: lowest free number, kept in state.json, freed by delete.</summary>
public sealed class AppIdsTests : IDisposable
{
    private readonly string _folder = Directory.CreateDirectory(Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    private StateStore Open() => new(Path.Combine(_folder, "state.json"), NullLogger.Instance, TimeProvider.System);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Each_name_gets_the_lowest_free_id_and_keeps_it_after_the_state_is_read_again()
    {
        await using (var store = Open())
        {
            var ids = new AppIds(store);
            Assert.Equal((0, 1, 2), (ids.For("a"), ids.For("b"), ids.For("c")));
            Assert.Equal(1, ids.For("b"));
            ids.Forget(["b"]);
            Assert.Equal(1, ids.For("d"));
            Assert.Null(ids.NameOf("7"));
            Assert.Null(ids.NameOf("web"));
        }

        await using var reopened = Open();
        var again = new AppIds(reopened);
        Assert.Equal(("a", "d", "c"), (again.NameOf("0"), again.NameOf("1"), again.NameOf("2")));
    }

    [Fact]
    public async Task A_deleted_cluster_frees_the_ids_of_its_worker_rows_only()
    {
        await using var store = Open();
        var ids = new AppIds(store);
        ids.For("web-0");
        ids.For("web-1");
        ids.For("web-x");
        ids.For("webapp-0");

        ids.ForgetRowsOf("web");

        Assert.Equal((null, null, "web-x", "webapp-0"), (ids.NameOf("0"), ids.NameOf("1"), ids.NameOf("2"), ids.NameOf("3")));
    }

    [Theory]
    [InlineData("web-0", "web", true)]
    [InlineData("web-12", "web", true)]
    [InlineData("web-", "web", false)]
    [InlineData("web-x", "web", false)]
    [InlineData("webapp-0", "web", false)]
    [InlineData("web", "web", false)]
    public void A_worker_row_is_the_clusters_name_a_dash_and_a_number(string row, string cluster, bool isRow) =>
        Assert.Equal(isRow, ClusterRows.IsRowOf(row, cluster));
}
