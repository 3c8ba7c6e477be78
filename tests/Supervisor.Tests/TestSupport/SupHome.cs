using Xunit;
using System.Diagnostics;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Supervisor.Core.Platform;

namespace Supervisor.Tests.TestSupport;

/// <summary>
/// A temp SUP_HOME driven through the real `sup` CLI (which starts a real daemon). Short paths
/// keep the socket under the 107-byte limit. Disposing kills the daemon and everything it
/// started, then deletes the folder.
/// </summary>
/// <remarks>
/// The `sup` under test is this build's sup.dll under the dotnet muxer, or the binary that
/// SUP_TEST_CLI names (`SUP_TEST_CLI=/path/to/native/sup dotnet test ...`, as .ci/run does with
/// the native build): every spec then runs that binary, and so its daemon too, since the CLI
/// starts the daemon from its own Environment.ProcessPath.
/// </remarks>
public sealed class SupHome : IAsyncDisposable
{
    private static readonly string SupDll = Path.Combine(AppContext.BaseDirectory, "sup.dll");

    /// <summary>The native (or any other) `sup` to test instead of sup.dll, from SUP_TEST_CLI.</summary>
    public static string? TestCli { get; } = Environment.GetEnvironmentVariable("SUP_TEST_CLI") is { Length: > 0 } cli
        ? (File.Exists(cli) ? Path.GetFullPath(cli) : throw new FileNotFoundException($"SUP_TEST_CLI names no file: {cli}"))
        : null;

    /// <summary>The program and the arguments before sup's own that run the `sup` under test.</summary>
    public static (string FileName, string[] Prefix) Cli => TestCli is { } cli ? (cli, []) : (DotnetHost, [SupDll]);

    /// <summary>The file a boot unit's ExecStart or a ps line names for the `sup` under test.</summary>
    public static string CliPath => TestCli ?? SupDll;

    /// <summary>`sup ARGS` as a shell command line (each word single-quoted), for a terminal pane or `sh -c`.</summary>
    public static string CliCommandLine(params string[] args) =>
        string.Join(' ', new[] { Cli.FileName }.Concat(Cli.Prefix).Concat(args).Select(a => "'" + a.Replace("'", "'\\''") + "'"));

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
    public async Task<CliResult> SupWithEnvironmentAsync(TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        await RunAsync(Cli.FileName, [.. Cli.Prefix, .. args], With(environment), timeout, args);

    /// <summary>
    /// Runs `sup` from `sh` after <paramref name="prelude"/>, to give it what a user's script
    /// would: `trap '' INT QUIT` as in a background job (`sup start app.yaml &amp;`), or an extra
    /// inherited descriptor (`exec 7&gt;&gt;file`).
    /// </summary>
    public async Task<CliResult> SupFromShellAsync(string prelude, params string[] args) =>
        await RunAsync("/bin/sh", ["-c", prelude + "; exec \"$@\"", "sh", Cli.FileName, .. Cli.Prefix, .. args],
            CliEnvironment, TimeSpan.FromSeconds(60), args);

    /// <summary>
    /// One run to completion through CliWrap, in <see cref="Apps"/> with <paramref name="environment"/>
    /// over the test's own: stdin empty, both outputs buffered, any exit code returned (the test
    /// judges it), and the process tree killed when it outlives the timeout.
    /// </summary>
    private async Task<CliResult> RunAsync(string fileName, string[] arguments, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout, string[] supArgs)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var result = await CliWrap.Cli.Wrap(fileName)
                .WithArguments(arguments)
                .WithWorkingDirectory(Apps)
                .WithEnvironmentVariables(environment.ToDictionary(e => e.Key, e => (string?)e.Value))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cts.Token);
            return new CliResult(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"`sup {string.Join(' ', supArgs)}` did not finish within {timeout}.");
        }
    }

    /// <summary>Starts a long-running `sup` (e.g. `logs` following); the caller reads its output and ends it.</summary>
    public Process StartSup(params string[] args) => StartSup(new Dictionary<string, string>(), args);

    public Process StartSup(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = CliStartInfo(Cli.FileName, [.. Cli.Prefix, .. args]);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        return Process.Start(info)!;
    }

    /// <summary>Starts a long-running `sup` with every signal at its default, as from a terminal (<see cref="InteractiveSup"/>).</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public InteractiveSup StartInteractive(params string[] args) => InteractiveSup.Start(Cli.FileName, [.. Cli.Prefix, .. args], Apps, CliEnvironment);

    /// <summary>Run as the user would: the real CLI, this home, no colour codes in what tests read.</summary>
    private Dictionary<string, string> CliEnvironment => new() { ["SUP_HOME"] = Home, ["NO_COLOR"] = "1" };

    /// <summary><see cref="CliEnvironment"/> with <paramref name="extra"/> added or replacing.</summary>
    private Dictionary<string, string> With(IReadOnlyDictionary<string, string> extra)
    {
        var environment = CliEnvironment;
        foreach (var (key, value) in extra) environment[key] = value;
        return environment;
    }

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
    /// A folder holding a `sup` that runs the `sup` under test, to put first on PATH where a shell must find
    /// `sup` by name, as an installed sup would be found (completion scripts call it back).
    /// </summary>
    public string SupOnPath()
    {
        var bin = Path.Combine(Home, "bin");
        Directory.CreateDirectory(bin);
        var sup = Path.Combine(bin, "sup");
        File.WriteAllText(sup, $"#!/bin/sh\nexec {CliCommandLine()} \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(sup, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin;
    }

    /// <summary>
    /// Runs <paramref name="shell"/> with <paramref name="args"/>, this build's `sup` first on PATH
    /// and SUP_HOME set; asserts it exits 0 (stderr is the message) and returns its stdout.
    /// </summary>
    public async Task<string> ShellAsync(string shell, params string[] args)
    {
        var result = await RunAsync(shell, args, new Dictionary<string, string>
        {
            ["PATH"] = SupOnPath() + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["SUP_HOME"] = Home,
        }, TimeSpan.FromSeconds(60), [shell, .. args]);
        Assert.True(result.ExitCode == 0, $"{shell} exited with {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
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

    private readonly List<Process> _outside = [];

    /// <summary>
    /// Starts a process outside sup (one a user started by hand), killed with its tree when this
    /// home is disposed. Its standard streams are redirected so it holds none of the test's.
    /// </summary>
    public Process StartOutside(ProcessStartInfo start)
    {
        start.RedirectStandardInput = start.RedirectStandardOutput = start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        _outside.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _outside)
        {
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
            process.Dispose();
        }

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
