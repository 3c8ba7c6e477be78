using Supervisor.Core.Startup;

namespace Supervisor.Tests.Startup;

/// <summary>StartupSpecs for a user "ann" whose sup lives in /opt/sup.</summary>
internal static class Specs
{
    public static StartupSpec Ann(StartupScope scope = StartupScope.User, IReadOnlyList<string>? command = null, string? supHome = null) => new()
    {
        Scope = scope,
        UserName = "ann",
        UserId = 1000,
        HomeDirectory = "/home/ann",
        SupHome = supHome ?? "/home/ann/.sup",
        SupCommand = command ?? ["/opt/sup/sup"],
        PathVariable = "/home/ann/.local/bin:/usr/bin:/bin",
        StopTimeout = TimeSpan.FromSeconds(55),
    };
}
