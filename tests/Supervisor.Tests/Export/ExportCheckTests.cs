using Supervisor.Core.Config;
using Supervisor.Core.Export;
using Supervisor.Tests.Config;
using Xunit;

namespace Supervisor.Tests.Export;

public sealed class ExportCheckTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_key_an_app_wrote_gets_a_row_for_both_engines()
    {
        var apps = ExportTools.LoadEveryKey(_dir.Path).Apps;
        var rows = ExportCheck.Rows(apps);

        // One set of rows per app as written: the three copies of web count once.
        Assert.Equal(apps.Where(a => a.Name is not ("web-1" or "web-2")).Sum(a => a.ExplicitKeys.Count), rows.Count);
        Fidelity S(string app, string key) => rows.Single(r => r.App == app && r.Mapping.Key == key).Mapping.Systemd;
        Fidelity K(string app, string key) => rows.Single(r => r.App == app && r.Mapping.Key == key).Mapping.Kubernetes;
        Assert.Equal(Fidelity.Exact, S("tick", "jitter"));
        Assert.Equal(Fidelity.None, K("tick", "jitter"));
        Assert.Equal(Fidelity.Exact, S("drop", "on_file"));
        Assert.Equal(Fidelity.None, K("drop", "on_file"));
        Assert.Equal(Fidelity.Exact, S("web", "instances"));
        Assert.Equal(Fidelity.None, S("web", "log_compress"));
    }

    [Fact]
    public void Every_ecosystem_key_the_exporters_know_is_a_real_key()
    {
        Assert.All(ExportCheck.Table, m => Assert.Contains(m.Key, EcosystemKeys.App));
    }

    [Fact]
    public void Docs_export_md_has_a_row_for_every_mapped_key()
    {
        var doc = File.ReadAllText(Path.Combine(ExportTools.RepoRoot, "docs", "export.md"));
        static string Word(Fidelity f) => f switch { Fidelity.Exact => "exact", Fidelity.Approximated => "approximated", _ => "none" };
        Assert.All(ExportCheck.Table, m => Assert.Contains($"| `{m.Key}` | {Word(m.Systemd)} | {Word(m.Kubernetes)} |", doc));
    }

    [Fact]
    public void The_lines_are_a_table_with_a_header()
    {
        var lines = ExportCheck.Lines(ExportTools.LoadExample().Apps);

        Assert.Matches(@"^APP +KEY +SYSTEMD +KUBERNETES +HOW$", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^heartbeat +jitter +exact +none +RandomizedDelaySec="));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^gmail-watcher +log_date_format +none +none "));
    }
}
