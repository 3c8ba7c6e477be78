using Supervisor.Core.Daemon;
using Xunit;

namespace Supervisor.Tests.Daemon;

public sealed class ShellEnvironmentTests
{
    private static Dictionary<string, string> Env(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void The_apps_own_env_wins_over_the_shell_which_wins_over_the_daemon()
    {
        var merged = ShellEnvironment.Merge(
            declared: Env(("TAG", "file")),
            shell: Env(("TAG", "shell"), ("GREETING", "hello"), ("LANG", "de_DE.UTF-8")),
            daemon: Env(("LANG", "C.UTF-8"), ("GREETING", "old")));

        Assert.Equal(Env(("TAG", "file"), ("GREETING", "hello"), ("LANG", "de_DE.UTF-8")), merged);
    }

    [Fact]
    public void Variables_the_daemon_already_has_with_the_same_value_are_not_copied()
    {
        var merged = ShellEnvironment.Merge(Env(), Env(("PATH", "/usr/bin"), ("NEW", "1")), Env(("PATH", "/usr/bin")));

        Assert.Equal(Env(("NEW", "1")), merged);
    }

    [Fact]
    public void The_shell_sessions_own_variables_and_sups_are_left_out()
    {
        var merged = ShellEnvironment.Merge(Env(),
            Env(("PWD", "/home/ann/src"), ("OLDPWD", "/"), ("SHLVL", "2"), ("_", "/usr/bin/sup"), ("SUP_HOME", "/elsewhere"), ("KEEP", "x")),
            Env());

        Assert.Equal(Env(("KEEP", "x")), merged);
    }
}
