namespace Supervisor.Core.Platform;

/// <summary>Finds util-linux setsid(1): the usual places first, then PATH.</summary>
internal static class SetsidLocator
{
    public static string? Find()
    {
        string[] usual = ["/usr/bin/setsid", "/bin/setsid"];
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(Path.IsPathRooted)
            .Select(folder => Path.Combine(folder, "setsid"));
        return usual.Concat(onPath).FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path)
        && (OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
