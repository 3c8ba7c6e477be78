using Xunit;
using Supervisor.Tests.TestSupport;

namespace Supervisor.Tests.EndToEnd;

/// <summary>`sup monit` in a real terminal (tmux), against a real daemon, read off the screen.</summary>
public sealed class MonitSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();
    private TmuxPane? _pane;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_pane is not null) await _pane.DisposeAsync();
        await _sup.DisposeAsync();
    }

    [Fact]
    public async Task Monit_shows_the_apps_follows_the_selection_with_its_log_and_gives_the_terminal_back_on_q()
    {
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml", """
            apps:
              - name: quiet
                command: sleep 300
              - name: talker
                command: 'i=0; while true; do i=$((i+1)); echo "talker line $i"; sleep 0.3; done'
              - name: nightly
                command: echo nightly
                cron: "0 3 * * *"
            """));
        _pane = await TmuxPane.StartAsync(160, 40,
            new Dictionary<string, string> { ["SUP_HOME"] = _sup.Home, ["LANG"] = "C.UTF-8" }, _sup.Apps);

        await _pane.RunAsync(SupHome.CliCommandLine("monit"));

        var first = await _pane.WaitForScreenAsync(s => s.Contains("sup monit") && s.Contains("talker") && s.Contains("nightly"), "the dashboard");
        Assert.Contains("quiet", first);
        Assert.Contains("online", first);
        Assert.Contains("scheduled", first);
        Assert.Contains("quiet out", first); // the first app is selected

        await _pane.KeysAsync("Down");
        var selected = await _pane.WaitForScreenAsync(s => s.Contains("talker out") && s.Contains("talker line"), "talker's log tail");
        Assert.Matches(@"›\s*│\s*talker", selected);

        await _pane.KeysAsync("q");
        await Eventually.ValueAsync(_pane.ForegroundAsync, c => c == "sh", TimeSpan.FromSeconds(15), "the shell back in front");
        await _pane.RunAsync("echo back-at-the-prompt");
        var after = await _pane.WaitForScreenAsync(s => s.Split('\n').Any(l => l.Trim() == "back-at-the-prompt"), "the shell answering");
        Assert.DoesNotContain("sup monit ·", after); // the dashboard's screen is gone
    }

    [Fact]
    public async Task Ctrl_c_also_leaves_monit_and_restores_the_terminal()
    {
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml", "apps:\n  - name: quiet\n    command: sleep 300\n"));
        _pane = await TmuxPane.StartAsync(120, 30, new Dictionary<string, string> { ["SUP_HOME"] = _sup.Home }, _sup.Apps);
        await _pane.RunAsync(SupHome.CliCommandLine("monit") + "; echo exit=$?");
        await _pane.WaitForScreenAsync(s => s.Contains("sup monit") && s.Contains("quiet"), "the dashboard");

        await _pane.KeysAsync("C-c");

        var after = await _pane.WaitForScreenAsync(s => s.Contains("exit=130"), "monit to exit on Ctrl+C");
        Assert.DoesNotContain("sup monit ·", after);
        Assert.Equal("sh", await _pane.ForegroundAsync());
    }
}
