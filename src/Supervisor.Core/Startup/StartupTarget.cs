namespace Supervisor.Core.Startup;

/// <summary>
/// PM2's `pm2 startup` rules on top of <see cref="StartupSpec.ForCurrentUser"/>: run as root
/// (sudo included), the entry is a system one, as PM2 installs a system unit; and
/// `-u USER --hp HOME` name the user the daemon runs as and their home, as PM2's flags do.
/// </summary>
public static class StartupTarget
{
    /// <summary>
    /// No --user or --system given: root (sudo included: PM2's instructions are `sudo ... pm2 startup`)
    /// means the machine's manager, anyone else their own.
    /// </summary>
    public static StartupScope DefaultScope(int? uid) => uid == 0 ? StartupScope.System : StartupScope.User;

    /// <param name="user">PM2's -u: the account the daemon runs as; its uid and home come from /etc/passwd.</param>
    /// <param name="home">PM2's --hp: that account's home (SUP_HOME defaults to HOME/.sup).</param>
    /// <param name="supHomeSet">SUP_HOME was set for this command: it stays as given.</param>
    /// <exception cref="SupException">An unknown user, or -u/--hp for a user-scope entry.</exception>
    public static StartupSpec For(StartupSpec current, string? user, string? home, bool supHomeSet, string passwd = "/etc/passwd")
    {
        if (user is null && home is null) return current;
        if (current.Scope == StartupScope.User)
            throw new SupException(SupError.BadArgument, "-u and --hp name the user of a system entry; give --system (or run as root), or leave them out for your own user entry.");

        var spec = current;
        if (user is not null)
        {
            if (StartupSpec.PasswdEntry(user, passwd) is not { } entry)
                throw new SupException(SupError.BadArgument, $"No user '{user}' in {passwd}; -u takes the account the daemon runs as.");
            spec = spec with { UserName = user, UserId = entry.Uid, HomeDirectory = entry.Home };
        }

        if (home is not null) spec = spec with { HomeDirectory = Path.GetFullPath(home) };
        // SUP_HOME follows the user unless it was set: root's own ~/.sup is not theirs.
        return supHomeSet ? spec : spec with { SupHome = Path.Combine(spec.HomeDirectory, ".sup") };
    }
}
