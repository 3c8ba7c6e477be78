using CliWrap;
using CliWrap.Buffered;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Readiness;

/// <summary>
/// `exec:`: passes when the command exits 0. Run with `sh -c` in the app's folder and with its
/// variables, through <see cref="RuntimeChildren"/> (the orphan scan must not reap it); past the
/// timeout it is killed.
/// </summary>
public sealed class ExecProbe(ExecProbeSpec spec, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeProvider time) : IProbe
{
    private const int OutputInReason = 200;

    public string What => spec.What;

    public async Task<ProbeResult> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            var result = await RuntimeChildren.RunAsync(() => Cli.Wrap("/bin/sh")
                .WithArguments(["-c", spec.Command])
                .WithWorkingDirectory(Directory.Exists(workingDirectory) ? workingDirectory : Path.GetTempPath())
                .WithEnvironmentVariables(environment.ToDictionary(e => e.Key, e => (string?)e.Value))
                .WithStandardInputPipe(PipeSource.Null)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(linked.Token));
            if (result.ExitCode == 0) return ProbeResult.Pass;
            var output = result.StandardError.Trim();
            if (output.Length == 0) output = result.StandardOutput.Trim();
            if (output.Length > OutputInReason) output = output[..OutputInReason] + "...";
            return ProbeResult.Fail($"exited with code {result.ExitCode}" + (output.Length > 0 ? $" ({output})" : ""));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.TimedOut;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return ProbeResult.Fail($"could not run ({ex.Message})");
        }
    }
}
