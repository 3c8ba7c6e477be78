using System.Diagnostics;
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
        var fish = Shell("fish");
        var info = new ProcessStartInfo(fish) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--no-config");
        info.ArgumentList.Add("-c");
        // `complete -C LINE` prints what TAB would offer for LINE.
        info.ArgumentList.Add("sup completion fish | source; complete -C 'sup stop g'");
        info.Environment["PATH"] = _sup.SupOnPath() + ":" + Environment.GetEnvironmentVariable("PATH");
        info.Environment["SUP_HOME"] = _sup.Home;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(process.ExitCode == 0, await stderr);
        var offered = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]);
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
