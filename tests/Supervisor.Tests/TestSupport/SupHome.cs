using Xunit;
using System.Diagnostics;
using System.Text.Json;
using Supervisor.Core.Platform;

namespace Supervisor.Tests.TestSupport;

/// <summary>
/// A temp SUP_HOME driven through the real `sup` CLI (which starts a real daemon). Short paths
/// keep the socket under the 107-byte limit. Disposing kills the daemon and everything it
/// started, then deletes the folder.
/// </summary>
public sealed class SupHome : IAsyncDisposable
{
    private static readonly string SupDll = Path.Combine(AppContext.BaseDirectory, "sup.dll");

    private SupHome(string home)
    {
        Home = home;
        Apps = Path.Combine(home, "apps");
        Directory.CreateDirectory(Apps);
    }

    public string Home { get; }
    /// <summary>Where tests write their scripts and ecosystem files.</summary>
    public string Apps { get; }

    public static SupHome Create() => new(Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]));

    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public async Task<CliResult> SupAsync(params string[] args) => await SupWithTimeoutAsync(TimeSpan.FromSeconds(60), args);

    public async Task<CliResult> SupWithTimeoutAsync(TimeSpan timeout, params string[] args) =>
        await SupWithEnvironmentAsync(timeout, new Dictionary<string, string>(), args);

    /// <summary>Runs `sup` with extra (or replaced) environment variables, as a user's shell would set them.</summary>
    public async Task<CliResult> SupWithEnvironmentAsync(TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = StartSup(environment, args);
        return await CollectAsync(process, timeout, args);
    }

    /// <summary>
    /// Runs `sup` from `sh` after <paramref name="prelude"/>, to give it what a user's script
    /// would: `trap '' INT QUIT` as in a background job (`sup start app.yaml &amp;`), or an extra
    /// inherited descriptor (`exec 7&gt;&gt;file`).
    /// </summary>
    public async Task<CliResult> SupFromShellAsync(string prelude, params string[] args)
    {
        using var process = Process.Start(CliStartInfo("/bin/sh", ["-c", prelude + "; exec \"$@\"", "sh", DotnetHost, SupDll, .. args]))!;
        return await CollectAsync(process, TimeSpan.FromSeconds(60), args);
    }

    private static async Task<CliResult> CollectAsync(Process process, TimeSpan timeout, string[] args)
    {
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`sup {string.Join(' ', args)}` did not finish within {timeout}.");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a long-running `sup` (e.g. `logs` following); the caller reads its output and ends it.</summary>
    public Process StartSup(params string[] args) => StartSup(new Dictionary<string, string>(), args);

    public Process StartSup(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = CliStartInfo(DotnetHost, [SupDll, .. args]);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        return Process.Start(info)!;
    }

    /// <summary>Starts a long-running `sup` with every signal at its default, as from a terminal (<see cref="InteractiveSup"/>).</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public InteractiveSup StartInteractive(params string[] args) => InteractiveSup.Start(DotnetHost, SupDll, Apps, CliEnvironment, args);

    /// <summary>Run as the user would: the real CLI, this home, no colour codes in what tests read.</summary>
    private Dictionary<string, string> CliEnvironment => new() { ["SUP_HOME"] = Home, ["NO_COLOR"] = "1" };

    private ProcessStartInfo CliStartInfo(string fileName, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Apps,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (key, value) in CliEnvironment) info.Environment[key] = value;
        return info;
    }

    /// <summary>Runs `sup` and fails the test (showing its output) unless it exits 0.</summary>
    public async Task<CliResult> OkAsync(params string[] args)
    {
        var result = await SupAsync(args);
        Assert.True(result.ExitCode == 0, $"`sup {string.Join(' ', args)}` failed: {result}");
        return result;
    }

    public async Task<JsonElement[]> ListAsync()
    {
        var result = await OkAsync("ls", "--json");
        return JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    public async Task<JsonElement> AppAsync(string name) =>
        (await ListAsync()).Single(a => a.GetProperty("name").GetString() == name);

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Apps, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        if (name.EndsWith(".sh", StringComparison.Ordinal) && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>
    /// A folder holding a `sup` that runs this build, to put first on PATH where a shell must find
    /// `sup` by name, as an installed sup would be found (completion scripts call it back).
    /// </summary>
    public string SupOnPath()
    {
        var bin = Path.Combine(Home, "bin");
        Directory.CreateDirectory(bin);
        var sup = Path.Combine(bin, "sup");
        File.WriteAllText(sup, $"#!/bin/sh\nexec \"{DotnetHost}\" \"{Path.Combine(AppContext.BaseDirectory, "sup.dll")}\" \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(sup, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin;
    }

    /// <summary>
    /// Runs <paramref name="shell"/> with <paramref name="args"/>, this build's `sup` first on PATH
    /// and SUP_HOME set; asserts it exits 0 (stderr is the message) and returns its stdout.
    /// </summary>
    public async Task<string> ShellAsync(string shell, params string[] args)
    {
        var info = new ProcessStartInfo(shell) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["PATH"] = SupOnPath() + ":" + Environment.GetEnvironmentVariable("PATH");
        info.Environment["SUP_HOME"] = Home;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"{shell} exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    public int? DaemonPid =>
        File.Exists(Path.Combine(Home, "sup.pid")) && int.TryParse(File.ReadAllText(Path.Combine(Home, "sup.pid")).Trim(), out var pid)
            ? pid
            : null;

    public string ReadLog(string app, string stream = "out")
    {
        var path = Path.Combine(Home, "logs", $"{app}-{stream}.log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    public string DaemonLog =>
        File.Exists(Path.Combine(Home, "daemon.log")) ? File.ReadAllText(Path.Combine(Home, "daemon.log")) : "";

    public async ValueTask DisposeAsync()
    {
        var daemon = DaemonPid;
        try { await SupWithTimeoutAsync(TimeSpan.FromSeconds(30), "kill"); }
        catch (Exception) { /* fall through to the hard cleanup */ }
        if (daemon is int pid && Processes.IsAlive(pid)) ProcessControl.Current.Signal(pid, Signals.SIGKILL);
        // Anything a test left behind in this home (even after a kill -9 of the daemon).
        Processes.KillAllMentioning(Home);
        try { Directory.Delete(Home, recursive: true); }
        catch (IOException) { }
    }
}
