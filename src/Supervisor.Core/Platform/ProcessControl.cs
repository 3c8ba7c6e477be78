namespace Supervisor.Core.Platform;

/// <summary>Picks the <see cref="IProcessControl"/> for the running OS.</summary>
public static class ProcessControl
{
    private static readonly Lazy<IProcessControl> Instance = new(Create);

    public static IProcessControl Current => Instance.Value;

    private static IProcessControl Create()
    {
        if (OperatingSystem.IsWindows())
        {
            return new WindowsProcessControl();
        }

        return OperatingSystem.IsLinux() ? new LinuxProcessControl() : new PosixProcessControl();
    }
}
