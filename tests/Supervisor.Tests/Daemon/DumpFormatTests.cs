using Supervisor.Core.Config;
using Supervisor.Core.Daemon;
using Supervisor.Tests.Config;
using Xunit;

namespace Supervisor.Tests.Daemon;

/// <summary>merge_logs changed meaning (PM2's: instances share files); a dump saved before keeps its own.</summary>
public sealed class DumpFormatTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private LoadOptions Options => new() { BaseEnvironment = _dir.Environment };

    [Fact]
    public void A_dump_written_before_the_change_reads_merge_logs_as_stderr_into_the_out_file()
    {
        var run = _dir.Write("run.sh");
        var dump = _dir.Write("home/dump.yaml", $"""
            apps:
            - name: web
              script: {run}
              cwd: {_dir.Path}
              merge_logs: true
            - name: api
              script: {run}
              cwd: {_dir.Path}
              out_file: {_dir.Combine("api.log")}
              merge_logs: true
            x-sup:
              sources:
                web: ''
                api: ''
              files: []
            """, executable: false);

        var apps = DumpFile.Read(dump, Options).Apps;

        Assert.Equal(_dir.Combine("home/logs/web-out.log"), apps[0].ErrorFile);
        Assert.Equal(_dir.Combine("api.log"), apps[1].ErrorFile);
        Assert.All(apps, a => Assert.False(a.MergeLogs));
    }

    [Fact]
    public void A_dump_written_now_keeps_merge_logs_and_says_its_format()
    {
        _dir.Write("run.sh");
        var apps = _dir.Load("apps:\n  - { name: web, script: run.sh, merge_logs: true }\n").Apps;
        var dump = _dir.Combine("home/dump.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(dump)!);

        DumpFile.Write(dump, new SavedAppSet(apps, []), new Dictionary<string, bool>(), Options);
        var read = DumpFile.Read(dump, Options).Apps[0];

        Assert.Contains("format: 2", File.ReadAllText(dump));
        Assert.True(read.MergeLogs);
        Assert.Null(read.ErrorFile);
    }
}
