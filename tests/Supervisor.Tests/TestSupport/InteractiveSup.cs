using System.IO.Pipes;
using System.Runtime.Versioning;
using System.Text;
using Supervisor.Core.Platform;

namespace Supervisor.Tests.TestSupport;

/// <summary>
/// A long-running `sup` started as a shell at a terminal starts it: every signal at its default
/// action, so Ctrl+C (SIGINT) means what it means to a user.
/// </summary>
/// <remarks>
/// Process.Start passes on the signals its own process ignores, and a test runner started in the
/// background of a script (`.ci/run &amp;`) has SIGINT ignored: a `sup` started that way rightly
/// keeps ignoring it, as `tail -f` would, and a Ctrl+C test would then fail for a reason no user
/// meets. posix_spawn with every signal reset (<see cref="SessionSpawn"/>) avoids that.
/// </remarks>
[SupportedOSPlatform("linux")]
public sealed class InteractiveSup : IDisposable
{
    private readonly StringBuilder _stderr = new();

    private InteractiveSup(SpawnedChild child)
    {
        Pid = child.Pid;
        Exited = ChildReaper.Shared.WatchAsync(child.Pid);
        StandardOutput = new StreamReader(new AnonymousPipeClientStream(PipeDirection.In, child.Stdout));
        var stderr = new StreamReader(new AnonymousPipeClientStream(PipeDirection.In, child.Stderr));
        _ = Task.Run(async () =>
        {
            while (await stderr.ReadLineAsync() is { } line)
                lock (_stderr) _stderr.AppendLine(line);
            stderr.Dispose();
        });
    }

    public int Pid { get; }

    public StreamReader StandardOutput { get; }

    /// <summary>The exit code (128 + N after signal N).</summary>
    public Task<int> Exited { get; }

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public static InteractiveSup Start(string fileName, IReadOnlyList<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment) =>
        new(SessionSpawn.Start(fileName, arguments, workingDirectory, environment));

    /// <summary>Whether it exited within <paramref name="timeout"/>.</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan timeout) =>
        await Task.WhenAny(Exited, Task.Delay(timeout)) == Exited;

    public void Dispose()
    {
        if (!Exited.IsCompleted) ProcessControl.Current.Signal(Pid, Signals.SIGKILL);
        StandardOutput.Dispose();
    }
}
