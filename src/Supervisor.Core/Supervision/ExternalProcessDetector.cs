using System.Text.RegularExpressions;
using Supervisor.Core.Config;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Supervision;

/// <summary>A copy of a service that runs outside sup; <see cref="Pid"/> is null when only its port was seen (another user's process).</summary>
public sealed record ExternalProcess(int? Pid, string Description);

/// <summary>Finds a running copy of a service that sup did not start (detect_external).</summary>
public interface IExternalProcessFinder
{
    ExternalProcess? Find(ExternalSpec spec);
}

/// <summary>
/// The /proc implementation: a process whose command line matches the pattern (as `pgrep -f`), or
/// that listens on the port, and that is neither this daemon nor one of its descendants (sup's own
/// copies, their children, and the orphans the daemon adopted as subreaper). Elsewhere than Linux
/// nothing is ever found, so sup starts its own copy as it would without detect_external.
/// </summary>
/// <param name="owner">The daemon: it and its descendants are sup's own.</param>
public sealed class ExternalProcessDetector(int owner) : IExternalProcessFinder
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    public static readonly ExternalProcessDetector Instance = new(Environment.ProcessId);

    public ExternalProcess? Find(ExternalSpec spec)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var buffer = new byte[ProcFs.StatBufferSize];
        if (spec.Pattern is { } pattern)
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
            foreach (var pid in ProcFs.EnumeratePids().Order())
            {
                if (ProcNet.CommandLine(pid) is not { } line || !IsMatch(regex, line) || IsOurs(pid, buffer)) continue;
                return new ExternalProcess(pid, $"pid {pid} ({Shorten(line)})");
            }
        }

        if (spec.Port is int port && ProcNet.ListeningInodes(port) is { Count: > 0 } inodes)
        {
            foreach (var pid in ProcFs.EnumeratePids().Order())
            {
                if (!ProcNet.HoldsSocket(pid, inodes)) continue;
                if (IsOurs(pid, buffer)) return null; // sup's own copy holds the port
                return new ExternalProcess(pid, $"pid {pid} (listening on port {port})");
            }

            return new ExternalProcess(null, $"a process sup cannot see (listening on port {port})");
        }

        return null;
    }

    private static bool IsMatch(Regex regex, string line)
    {
        try
        {
            return regex.IsMatch(line);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>This daemon or a descendant of it: walks the parent links up to init.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private bool IsOurs(int pid, byte[] buffer)
    {
        for (var current = pid; current > 1; )
        {
            if (current == owner) return true;
            if (ProcNet.ParentOf(current, buffer) is not int parent) return false;
            current = parent;
        }

        return false;
    }

    private static string Shorten(string line) => line.Length <= 80 ? line : line[..77] + "...";
}
