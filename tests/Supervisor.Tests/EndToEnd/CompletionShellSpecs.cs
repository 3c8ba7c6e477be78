using Supervisor.Tests.TestSupport;
using Xunit;

namespace Supervisor.Tests.EndToEnd;

/// <summary>
/// `sup completion zsh` and `sup completion fish` loaded into the real shells, against a real
/// daemon: TAB after `sup stop g` gives the app's name. (bash is in <see cref="ObserveSpecs"/>.)
/// zsh and fish come from Debian's packages; .ci/run installs them when missing.
/// </summary>
public sealed class CompletionShellSpecs : IAsyncLifetime
{
    private readonly SupHome _sup = SupHome.Create();

    public async Task InitializeAsync() =>
        await _sup.OkAsync("start", _sup.WriteFile("ecosystem.yaml", """
            apps:
              - name: gmail-watcher
                command: sleep 300
              - name: api
                command: sleep 300
            """));

    public async Task DisposeAsync() => await _sup.DisposeAsync();

    [Fact]
    public async Task Fish_completes_an_app_name_from_the_daemon()
    {
        // `complete -C LINE` prints what TAB would offer for LINE.
        var stdout = await _sup.ShellAsync(Shell("fish"), "--no-config", "-c", "sup completion fish | source; complete -C 'sup stop g'");

        var offered = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]);
        Assert.Equal(["gmail-watcher"], offered);
    }

    [Fact]
    public async Task Zsh_completes_an_app_name_on_tab()
    {
        var zsh = Shell("zsh");
        await using var pane = await TmuxPane.StartAsync(120, 20, new Dictionary<string, string> { ["SUP_HOME"] = _sup.Home }, _sup.Apps);

        // A bare zsh (no user rc files) with the completion system on, as `compinit` in ~/.zshrc
        // does; PATH is set inside it because the system's zshenv may set its own.
        await pane.RunAsync($"exec {zsh} -f");
        await pane.RunAsync($"export PATH={_sup.SupOnPath()}:$PATH; autoload -U compinit && compinit -u && source <(sup completion zsh) && (( $+functions[_sup_complete] )) && echo LOADED");
        await pane.WaitForScreenAsync(s => s.Contains("\nLOADED", StringComparison.Ordinal), "the completion script loaded");
        await pane.KeysAsync("-l", "sup stop g");
        await pane.KeysAsync("Tab");

        var screen = await pane.WaitForScreenAsync(s => s.Contains("sup stop gmail-watcher", StringComparison.Ordinal), "the app name completed on the line");
        Assert.DoesNotContain("api", screen.Split('\n').Last(l => l.Contains("sup stop", StringComparison.Ordinal)));
    }

    private static string Shell(string name)
    {
        var path = new[] { $"/usr/bin/{name}", $"/bin/{name}" }.FirstOrDefault(File.Exists);
        Assert.True(path is not null, $"{name} is not installed; install it (`apt-get install -y {name}`, as .ci/run does) to test its completion script.");
        return path;
    }
}
