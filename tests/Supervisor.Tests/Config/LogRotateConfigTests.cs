using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

/// <summary>`log_rotate` as the file says it: daily, hourly, size; anything else is a problem at its line:col.</summary>
public sealed class LogRotateConfigTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Daily_hourly_and_size_are_read_and_absent_means_size()
    {
        _dir.Write("run.sh");
        var apps = _dir.Load("""
            apps:
              - { name: a, script: run.sh, log_rotate: daily }
              - { name: b, script: run.sh, log_rotate: hourly }
              - { name: c, script: run.sh, log_rotate: size }
              - { name: d, script: run.sh }
            """).Apps;

        Assert.Equal([LogRotation.Daily, LogRotation.Hourly, LogRotation.None, LogRotation.None], apps.Select(a => a.LogRotate));
    }

    [Fact]
    public void An_unknown_rotation_is_a_problem_at_its_value()
    {
        _dir.Write("run.sh");

        var problems = _dir.Problems("""
            apps:
              - name: a
                script: run.sh
                log_rotate: weekly
            """);

        Assert.Equal(["4:17: log_rotate: 'weekly' is not a rotation; use daily, hourly or size (size alone is the default, by log_max_size)."], problems);
    }

    [Fact]
    public void Sup_save_writes_the_rotation_back()
    {
        _dir.Write("run.sh");
        var app = _dir.Load("apps: [{ name: a, script: run.sh, log_rotate: daily }]").Apps[0];

        Assert.Contains("log_rotate: daily", EcosystemWriter.ToYaml([app]));
    }
}
