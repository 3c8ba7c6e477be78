namespace Supervisor.Core.Config;

/// <summary>
/// How big an ecosystem file may be, in one place (docs/ecosystem.md, "Limits"). Each bound is
/// far beyond any real file and keeps a hostile or broken one from exhausting the daemon's
/// memory, stack or timers (issue 14); exceeding one is a load error like any other.
/// </summary>
public static class EcosystemLimits
{
    /// <summary>Bytes in one ecosystem file. Real files are a few KiB; /dev/zero is endless.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    /// <summary>
    /// Mappings and lists nested in one another. An app needs 4 (apps, app, env, value); deep
    /// nesting blew the stack at 50,000 levels and parses in time growing with depth squared.
    /// </summary>
    public const int MaxNestingDepth = 64;

    /// <summary>instances: of one app; each is a process with its own supervisor and log files.</summary>
    public const int MaxInstances = 1000;

    /// <summary>Apps in one file, instances counted: 1,000 apps of 1,000 instances would be a million processes.</summary>
    public const int MaxApps = 1000;
}
