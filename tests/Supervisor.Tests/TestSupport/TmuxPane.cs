using System.Diagnostics;
using Xunit;

namespace Supervisor.Tests.TestSupport;

/// <summary>
/// A real terminal for full-screen commands: a detached tmux session running sh on its own tmux
/// server (its own socket), so tests drive keys and read the screen as a person would.
/// Disposing kills the server and what runs in it, and removes the socket (tmux leaves it).
/// </summary>
public sealed class TmuxPane : IAsyncDisposable
{
    private readonly string _socket = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8] + ".tmux");

    private TmuxPane()
    {
    }

    public static async Task<TmuxPane> StartAsync(int width, int height, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        Assert.True(File.Exists("/usr/bin/tmux") || File.Exists("/usr/local/bin/tmux"), "tmux is needed to drive a terminal");
        var pane = new TmuxPane();
        List<string> args = ["-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", width.ToString(), "-y", height.ToString(), "-c", workingDirectory];
        foreach (var (key, value) in environment) args.AddRange(["-e", $"{key}={value}"]);
        args.Add("sh");
        await pane.TmuxAsync([.. args]);
        return pane;
    }

    /// <summary>Types text and presses Enter.</summary>
    public Task RunAsync(string commandLine) => TmuxAsync("send-keys", "-t", "t", "-l", commandLine).ContinueWith(_ => TmuxAsync("send-keys", "-t", "t", "Enter")).Unwrap();

    /// <summary>Presses keys by tmux name: "Down", "q", "C-c".</summary>
    public Task KeysAsync(params string[] keys) => TmuxAsync(["send-keys", "-t", "t", .. keys]);

    public Task<string> ScreenAsync() => TmuxAsync("capture-pane", "-p", "-t", "t");

    /// <summary>The program in the foreground of the pane ("sh" when back at the prompt).</summary>
    public async Task<string> ForegroundAsync() => (await TmuxAsync("display-message", "-p", "-t", "t", "#{pane_current_command}")).Trim();

    public Task<string> WaitForScreenAsync(Func<string, bool> accept, string what, TimeSpan? timeout = null) =>
        Eventually.ValueAsync(ScreenAsync, accept, timeout ?? TimeSpan.FromSeconds(30), what);

    public async ValueTask DisposeAsync()
    {
        try { await TmuxAsync("kill-server"); }
        catch (InvalidOperationException) { /* already gone */ }
        File.Delete(_socket);
    }

    private async Task<string> TmuxAsync(params string[] args)
    {
        var info = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-S");
        info.ArgumentList.Add(_socket);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var tmux = Process.Start(info)!;
        var stdout = tmux.StandardOutput.ReadToEndAsync();
        var stderr = tmux.StandardError.ReadToEndAsync();
        await tmux.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (tmux.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed: {await stderr}");
        return await stdout;
    }
}
