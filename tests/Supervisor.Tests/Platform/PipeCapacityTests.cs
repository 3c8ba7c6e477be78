using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.Versioning;
using Supervisor.Core.Logs;
using Supervisor.Core.Platform;
using Xunit;

namespace Supervisor.Tests.Platform;

/// <summary>
/// Busy apps get a 1 MiB pipe, within a budget. One class, so its tests never compete with each
/// other for the budget (other pumps running meanwhile hold a few shares at most).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PipeCapacityTests
{
    [Fact]
    public void A_granted_pipe_holds_a_megabyte()
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);

        using var lease = PipeCapacity.TryGrow(server.SafePipeHandle);

        Assert.NotNull(lease);
        Assert.True(Capacity(server.SafePipeHandle) >= PipeCapacity.LargeSize);
    }

    [Fact]
    public void Only_a_bounded_number_of_pipes_get_the_large_size_and_leases_give_their_share_back()
    {
        var pipes = new List<AnonymousPipeServerStream>();
        var leases = new List<PipeCapacity.Lease>();
        try
        {
            // Other tests may hold a lease meanwhile, so the budget runs out at or before the cap.
            for (var i = 0; i <= PipeCapacity.MaxLargePipes; i++)
            {
                var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
                pipes.Add(pipe);
                if (PipeCapacity.TryGrow(pipe.SafePipeHandle) is { } lease) leases.Add(lease);
                else break;
            }

            Assert.InRange(leases.Count, 1, PipeCapacity.MaxLargePipes);
            Assert.True(Capacity(pipes[^1].SafePipeHandle) < PipeCapacity.LargeSize, "a refused pipe keeps its size");
        }
        finally
        {
            foreach (var lease in leases) lease.Dispose();
            foreach (var pipe in pipes) pipe.Dispose();
        }

        using var again = new AnonymousPipeServerStream(PipeDirection.Out);
        using var regained = PipeCapacity.TryGrow(again.SafePipeHandle);
        Assert.NotNull(regained);
    }

    [Fact]
    public void Disposing_a_lease_twice_gives_back_one_share()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        var before = PipeCapacity.LargePipes;
        var lease = PipeCapacity.TryGrow(pipe.SafePipeHandle)!;

        lease.Dispose();
        lease.Dispose();

        Assert.True(PipeCapacity.LargePipes <= before, "the share was given back once, not twice");
        Assert.True(PipeCapacity.LargePipes >= 0);
    }

    [Fact]
    public async Task The_pump_gives_a_busy_app_a_large_pipe_and_loses_no_line()
    {
        var dir = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
        var path = Path.Combine(dir, "busy-out.log");
        // seq writes in large blocks and fills the default 64 KiB pipe at once.
        var start = new ProcessStartInfo("/bin/sh", ["-c", "seq 1 2000000"]) { RedirectStandardOutput = true };
        var capacityWhileBusy = 0;
        try
        {
            using (var child = Process.Start(start)!)
            {
                var source = (PipeStream)child.StandardOutput.BaseStream;
                await using var file = new RotatingLogFile(new LogFileOptions(path, 1024 * 1024, 1000, false), TimeProvider.System);
                var pump = OutputPump.PumpAsync(source, file, null, null, CancellationToken.None);
                while (!pump.IsCompleted && capacityWhileBusy < PipeCapacity.LargeSize)
                {
                    capacityWhileBusy = Math.Max(capacityWhileBusy, Capacity(source.SafePipeHandle));
                    await Task.Delay(1);
                }
                await pump;
                await child.WaitForExitAsync();
            }

            Assert.True(capacityWhileBusy >= PipeCapacity.LargeSize, $"the pipe held {capacityWhileBusy} bytes while busy");
            Assert.Equal(Enumerable.Range(1, 2000000).Select(i => i.ToString()), Logs.NumberedLines.ReadAll(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int Capacity(Microsoft.Win32.SafeHandles.SafePipeHandle pipe) =>
        Libc.Fcntl((int)pipe.DangerousGetHandle(), Libc.F_GETPIPE_SZ, 0);
}
