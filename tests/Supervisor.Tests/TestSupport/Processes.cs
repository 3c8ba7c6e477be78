using Supervisor.Core.Platform;

namespace Supervisor.Tests.TestSupport;

/// <summary>What a user would check with `ps`: is this pid really gone?</summary>
public static class Processes
{
    /// <summary>Alive and not a zombie (a zombie has exited; only its parent has not reaped it).</summary>
    public static bool IsAlive(int pid) =>
        ProcessControl.Current.TryGetInfo(pid) is { IsZombie: false };

    public static async Task<bool> AllGoneAsync(IEnumerable<int> pids, TimeSpan timeout)
    {
        var list = pids.ToList();
        return await Eventually.TrueAsync(() => Task.FromResult(list.TrueForAll(p => !IsAlive(p))), timeout);
    }

    /// <summary>Pids whose command line or environment mentions <paramref name="marker"/>.</summary>
    public static List<int> Mentioning(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                var environ = File.ReadAllText(Path.Combine(dir, "environ"));
                if ((cmdline.Contains(marker, StringComparison.Ordinal) || environ.Contains(marker, StringComparison.Ordinal)) && IsAlive(pid))
                    found.Add(pid);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
        return found;
    }

    public static void KillAllMentioning(string marker)
    {
        foreach (var pid in Mentioning(marker)) ProcessControl.Current.Signal(pid, Signals.SIGKILL);
    }
}
