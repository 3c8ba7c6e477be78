using Supervisor.Core;
using Supervisor.Core.Startup;
using Xunit;

namespace Supervisor.Tests.Startup;

/// <summary>PM2's `pm2 startup` rules: root gets a system unit; -u and --hp name its user.</summary>
public sealed class StartupTargetTests : IDisposable
{
    private readonly string _passwd = Path.Combine(Path.GetTempPath(), "sup-passwd-" + Guid.NewGuid().ToString("N")[..8]);

    public StartupTargetTests() =>
        File.WriteAllText(_passwd, "root:x:0:0:root:/root:/bin/sh\nann:x:1000:1000:Ann:/home/ann:/bin/bash\n");

    public void Dispose() => File.Delete(_passwd);

    private static StartupSpec Root(StartupScope scope) => new()
    {
        Scope = scope, UserName = "root", UserId = 0, HomeDirectory = "/root", SupHome = "/root/.sup", SupCommand = ["/usr/local/bin/sup"],
    };

    [Fact]
    public void Root_defaults_to_a_system_entry_and_anyone_else_to_their_own()
    {
        Assert.Equal(StartupScope.System, StartupTarget.DefaultScope(0));
        Assert.Equal(StartupScope.User, StartupTarget.DefaultScope(1000));
        Assert.Equal(StartupScope.User, StartupTarget.DefaultScope(null));
    }

    [Fact]
    public void U_names_the_user_the_system_unit_runs_as_with_their_uid_and_home()
    {
        var spec = StartupTarget.For(Root(StartupScope.System), "ann", null, supHomeSet: false, _passwd);
        var moved = StartupTarget.For(Root(StartupScope.System), "ann", "/srv/ann", supHomeSet: false, _passwd);
        var kept = StartupTarget.For(Root(StartupScope.System), "ann", null, supHomeSet: true, _passwd);

        Assert.Equal(("ann", 1000, "/home/ann", "/home/ann/.sup"), (spec.UserName, spec.UserId, spec.HomeDirectory, spec.SupHome));
        Assert.Equal(("/srv/ann", "/srv/ann/.sup"), (moved.HomeDirectory, moved.SupHome));
        Assert.Equal("/root/.sup", kept.SupHome);
    }

    [Fact]
    public void U_for_a_user_entry_or_an_unknown_user_is_the_users_error()
    {
        var user = Assert.Throws<SupException>(() => StartupTarget.For(Root(StartupScope.User), "ann", null, supHomeSet: false, _passwd));
        var unknown = Assert.Throws<SupException>(() => StartupTarget.For(Root(StartupScope.System), "bob", null, supHomeSet: false, _passwd));

        Assert.Equal(SupError.BadArgument, user.Error);
        Assert.Equal($"No user 'bob' in {_passwd}; -u takes the account the daemon runs as.", unknown.Message);
    }
}
