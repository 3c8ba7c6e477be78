using System.Diagnostics;
using System.Threading.Channels;
using Supervisor.Core.Platform;
using Xunit;

namespace Supervisor.Tests.Platform;

/// <summary>
/// A real child started as the supervisor will start apps (through
/// <see cref="IProcessControl.WrapForNewSession"/>, all three streams redirected), with its stdout
/// lines readable one by one. Disposing kills everything it left behind.
/// </summary>
internal sealed class SpawnedProcess : IDisposable
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(20);
    private readonly System.Text.StringBuilder errors = new();
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>();
    private readonly IProcessControl pc;
    private readonly Process process;

    private SpawnedProcess(IProcessControl pc, Process process)
    {
        this.pc = pc;
        this.process = process;
    }

    public int Pid => process.Id;

    public Process Process => process;

    public static SpawnedProcess Start(IProcessControl pc, string fileName, params string[] arguments)
    {
        var command = pc.WrapForNewSession(fileName, arguments);
        var info = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        var spawned = new SpawnedProcess(pc, process);
        _ = Task.Run(spawned.PumpOutputAsync);
        _ = Task.Run(spawned.PumpErrorsAsync);
        return spawned;
    }

    public static SpawnedProcess Shell(IProcessControl pc, string script) => Start(pc, "sh", "-c", script);

    /// <summary>The next stdout line; fails the test when none comes in time.</summary>
    public async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(LineTimeout);
        try
        {
            return await lines.Reader.ReadAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"No output line from pid {Pid} (exited: {process.HasExited}). Stderr: {Errors}", e);
        }
    }

    public async Task<int> ReadPidLineAsync(string prefix = "")
    {
        var line = await ReadLineAsync();
        Assert.StartsWith(prefix, line);
        return int.Parse(line[prefix.Length..].Trim());
    }

    public async Task WaitForLineAsync(string expected)
    {
        while (await ReadLineAsync() != expected)
        {
        }
    }

    public void Dispose()
    {
        foreach (var pid in pc.GetProcessTree(Pid))
        {
            pc.Signal(pid, Signals.SIGKILL);
        }

        pc.SignalGroup(Pid, Signals.SIGKILL);
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        process.Dispose();
    }

    /// <summary>Everything the child wrote to stderr so far, for failure messages.</summary>
    public string Errors
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    private async Task PumpErrorsAsync()
    {
        try
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (errors)
                {
                    errors.AppendLine(line);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The stream went away with the process.
        }
    }

    private async Task PumpOutputAsync()
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.Writer.TryWrite(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The stream went away with the process.
        }
        finally
        {
            lines.Writer.TryComplete();
        }
    }
}
