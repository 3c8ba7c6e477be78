using Supervisor.Core;
using Supervisor.Core.Config;
using Supervisor.Core.Daemon;
using Supervisor.Tests.Config;
using Xunit;

namespace Supervisor.Tests.Daemon;

public sealed class DumpFileTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DumpPath => _dir.Combine("home/dump.yaml");
    private string BackupPath => DumpPath + ".bak";
    private LoadOptions Options => new() { BaseEnvironment = _dir.Environment };

    private SavedAppSet Set(string yaml, bool watch = false)
    {
        _dir.Write("run.sh");
        var ecosystem = _dir.Load(yaml);
        return new SavedAppSet(ecosystem.Apps, [new LoadedFile(ecosystem.SourceFile, "production", null, watch)]);
    }

    private void Write(SavedAppSet set, IReadOnlyDictionary<string, bool>? jobs = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DumpPath)!);
        DumpFile.Write(DumpPath, set, jobs ?? new Dictionary<string, bool>(), Options);
    }

    [Fact]
    public void A_saved_set_reads_back_with_each_apps_source_and_each_files_profile_and_watch()
    {
        var set = Set("apps:\n  - name: web\n    script: run.sh\n    env: { TAG: x }\n", watch: true);
        var adHoc = set.Apps[0] with { Name = "adhoc", SourceFile = null };
        Write(set with { Apps = [.. set.Apps, adHoc] });

        var read = DumpFile.Read(DumpPath, Options);

        Assert.Equal(["web", "adhoc"], read.Apps.Select(a => a.Name));
        Assert.Equal(_dir.EcosystemFile, read.Apps[0].SourceFile);
        Assert.Null(read.Apps[1].SourceFile);
        Assert.Equal("x", read.Apps[0].Env["TAG"]);
        Assert.Equal([new LoadedFile(_dir.EcosystemFile, "production", null, true)], read.Files);
    }

    [Fact]
    public void A_saved_set_of_more_apps_than_one_file_may_hold_saves_and_reads_back()
    {
        var one = Set("apps:\n  - name: web\n    script: run.sh\n").Apps[0];
        var many = Enumerable.Range(0, EcosystemLimits.MaxApps + 200).Select(i => one with { Name = $"web{i}" }).ToList();
        Write(new SavedAppSet(many, []));

        var read = DumpFile.Read(DumpPath, Options);

        Assert.Equal(EcosystemLimits.MaxApps + 200, read.Apps.Count);
    }

    [Fact]
    public void The_dump_is_an_ordinary_ecosystem_file()
    {
        Write(Set("apps:\n  - name: web\n    script: run.sh\n"));

        var ecosystem = EcosystemLoader.Load(DumpPath, Options);

        Assert.Equal(["web"], ecosystem.Apps.Select(a => a.Name));
        Assert.Empty(ecosystem.Warnings);
    }

    [Fact]
    public void A_disabled_job_is_saved_disabled()
    {
        Write(Set("apps:\n  - name: tick\n    script: run.sh\n    every: 1h\n"), new Dictionary<string, bool> { ["tick"] = false });

        Assert.False(DumpFile.Read(DumpPath, Options).Apps.Single().Job!.Enabled);
    }

    [Fact]
    public void The_previous_dump_becomes_the_backup_only_while_it_still_loads()
    {
        Write(Set("apps:\n  - name: first\n    script: run.sh\n"));
        var first = File.ReadAllText(DumpPath);
        Write(Set("apps:\n  - name: second\n    script: run.sh\n"));
        Assert.Equal(first, File.ReadAllText(BackupPath));

        File.WriteAllText(DumpPath, "apps: [ {name: broken");
        Write(Set("apps:\n  - name: third\n    script: run.sh\n"));

        Assert.Equal(first, File.ReadAllText(BackupPath));
        Assert.Contains("name: third", File.ReadAllText(DumpPath));
    }

    [Fact]
    public void A_set_that_would_not_load_back_is_not_written()
    {
        Write(Set("apps:\n  - name: first\n    script: run.sh\n"));
        var before = File.ReadAllText(DumpPath);
        var set = Set("apps:\n  - name: gone\n    script: run.sh\n");
        File.Delete(_dir.Combine("run.sh"));

        var error = Assert.Throws<SupException>(() => Write(set));

        Assert.Equal(SupError.InvalidConfig, error.Error);
        Assert.Contains("would not load back", error.Message);
        Assert.Contains(error.Details, d => d.Contains("run.sh", StringComparison.Ordinal));
        Assert.Equal(before, File.ReadAllText(DumpPath));
        Assert.False(File.Exists(BackupPath));
    }

    [Fact]
    public void A_missing_dump_says_how_to_make_one()
    {
        var error = Assert.Throws<SupException>(() => DumpFile.Read(DumpPath, Options));

        Assert.Equal(SupError.Io, error.Error);
        Assert.Equal($"There is no saved app set at {DumpPath}; `sup save` writes one from the running apps.", error.Message);
    }

    [Fact]
    public void A_broken_dump_lists_its_problems_and_points_at_the_backup()
    {
        Write(Set("apps:\n  - name: first\n    script: run.sh\n"));
        Write(Set("apps:\n  - name: second\n    script: run.sh\n"));
        File.WriteAllText(DumpPath, "apps:\n  - name: x\n    scrip: run.sh\n");

        var error = Assert.Throws<SupException>(() => DumpFile.Read(DumpPath, Options));

        Assert.Equal(SupError.InvalidConfig, error.Error);
        Assert.Equal($"The saved app set {DumpPath} does not load, so nothing was resurrected. The previous save is kept in {BackupPath}: copy it over dump.yaml to use it.", error.Message);
        Assert.Contains(error.Details, d => d.StartsWith($"{DumpPath}:3:", StringComparison.Ordinal) && d.Contains("did you mean 'script'", StringComparison.Ordinal));
    }
}
