using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Supervisor.Core.Platform;

/// <summary>
/// Lets the output pipe of an app that writes a lot hold 1 MiB instead of Linux's default 64 KiB,
/// so the daemon is woken once per large read instead of once per 64 KiB: that halved its CPU
/// time per megabyte of log and doubled throughput (docs/benchmarks.md).
/// </summary>
/// <remarks>
/// Pipe memory counts against a per-user limit (fs.pipe-user-pages-soft, 64 MiB by default);
/// past it the kernel gives every new pipe of that user 8 KiB, which would hurt the user's other
/// programs and sup's next apps. So only a few pipes hold the large size at a time, each through a
/// <see cref="Lease"/> given back when its pump ends. The kernel frees the pages with the pipe.
/// </remarks>
public static class PipeCapacity
{
    public const int LargeSize = 1024 * 1024;

    /// <summary>16 MiB at most, a quarter of the default per-user limit.</summary>
    internal const int MaxLargePipes = 16;

    private static int s_largePipes;

    /// <summary>Pipes holding the large size now (for tests).</summary>
    internal static int LargePipes => Volatile.Read(ref s_largePipes);

    /// <summary>
    /// Grows <paramref name="pipe"/> to <see cref="LargeSize"/> if the budget allows; null when it
    /// does not, off Linux, or when the kernel refuses (then the pipe simply keeps its size).
    /// </summary>
    public static Lease? TryGrow(SafePipeHandle pipe)
    {
        if (!OperatingSystem.IsLinux() || pipe.IsInvalid || pipe.IsClosed)
        {
            return null;
        }
        if (Interlocked.Increment(ref s_largePipes) > MaxLargePipes || !Resize(pipe))
        {
            Interlocked.Decrement(ref s_largePipes);
            return null;
        }
        return new Lease();
    }

    [UnsupportedOSPlatform("windows")]
    private static bool Resize(SafePipeHandle pipe)
    {
        var added = false;
        try
        {
            pipe.DangerousAddRef(ref added);
            return Libc.Fcntl((int)pipe.DangerousGetHandle(), Libc.F_SETPIPE_SZ, LargeSize) >= LargeSize;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                pipe.DangerousRelease();
            }
        }
    }

    /// <summary>One pipe's share of the budget; dispose it when the pipe is done with.</summary>
    public sealed class Lease : IDisposable
    {
        private int _released;

        internal Lease()
        {
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref s_largePipes);
            }
        }
    }
}
