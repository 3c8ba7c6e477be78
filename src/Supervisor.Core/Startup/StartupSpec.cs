namespace Supervisor.Core.Startup;

/// <summary>
/// What a boot entry runs and for whom: every path absolute, because a boot manager has no
/// shell, no PATH of the user's and no idea where sup was installed.
/// </summary>
public sealed record StartupSpec
{
    public StartupScope Scope { get; init; } = StartupScope.User;
    public required string UserName { get; init; }
    /// <summary>Numeric uid (launchd's gui/UID domain); null where there is none (Windows).</summary>
    public int? UserId { get; init; }
    public required string HomeDirectory { get; init; }
    public required string SupHome { get; init; }
    /// <summary>How to run this sup: its apphost, or the dotnet host and sup.dll.</summary>
    public required IReadOnlyList<string> SupCommand { get; init; }
    /// <summary>The PATH `sup startup` ran with, so apps find the same programs at boot.</summary>
    public string? PathVariable { get; init; }
    /// <summary>How long the daemon may take to stop (see <see cref="StopBudget"/>).</summary>
    public TimeSpan StopTimeout { get; init; } = StopBudget.Floor;

    public IReadOnlyList<string> DaemonCommand => [.. SupCommand, "daemon", "--resurrect"];

    public bool HasDefaultSupHome =>
        string.Equals(Path.GetFullPath(SupHome).TrimEnd('/', '\\'), Path.GetFullPath(Path.Combine(HomeDirectory, ".sup")).TrimEnd('/', '\\'),
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>
    /// The user running this command, or, under sudo, the user who ran sudo (a system unit is
    /// installed as root for someone else; root's own ~/.sup is not what they mean).
    /// </summary>
    public static StartupSpec ForCurrentUser(StartupScope scope, IReadOnlyList<string> supCommand, TimeSpan stopTimeout)
    {
        var user = Environment.UserName;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
        int? uid = OperatingSystem.IsWindows() ? null : Platform.ProcessControl.Current.CurrentUid;
        if (!OperatingSystem.IsWindows() && uid == 0 && Environment.GetEnvironmentVariable("SUDO_USER") is { Length: > 0 } sudoUser
            && PasswdEntry(sudoUser) is { } entry)
        {
            (user, uid, home) = (sudoUser, entry.Uid, entry.Home);
        }

        var supHome = Environment.GetEnvironmentVariable("SUP_HOME") is { Length: > 0 } set ? Path.GetFullPath(set) : Path.Combine(home, ".sup");
        return new StartupSpec
        {
            Scope = scope,
            UserName = user,
            UserId = uid,
            HomeDirectory = home,
            SupHome = supHome,
            SupCommand = supCommand,
            PathVariable = Environment.GetEnvironmentVariable("PATH"),
            StopTimeout = stopTimeout,
        };
    }

    /// <summary>uid and home from /etc/passwd (enough for sudo on a workstation; directory services are not consulted).</summary>
    internal static (int Uid, string Home)? PasswdEntry(string user, string passwd = "/etc/passwd")
    {
        try
        {
            foreach (var line in File.ReadLines(passwd))
            {
                var fields = line.Split(':');
                if (fields.Length >= 7 && fields[0] == user && int.TryParse(fields[2], out var uid))
                    return (uid, fields[5]);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }
}
