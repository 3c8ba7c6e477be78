using System.Collections.Concurrent;

namespace Supervisor.Core.Keeper;

/// <summary>
/// The output pipes this daemon reads and has asked its keeper to hold, by app pid: what a new
/// keeper is handed when the first one died (KeeperRespawner). An app's entry goes once its
/// output is drained. Descriptor numbers are this daemon's; the pipe inodes let the keeper tell a
/// reused number from the pipe it was told about.
/// </summary>
public static class HeldOutputs
{
    public sealed record Entry(int Pid, ulong StartTimeTicks, int OutFd, ulong OutPipe, int ErrFd, ulong ErrPipe)
    {
        public string HoldLine => KeeperMessage.Hold(Pid, StartTimeTicks, OutFd, OutPipe, ErrFd, ErrPipe);
    }

    private static readonly ConcurrentDictionary<int, Entry> ByPid = new();

    public static void Add(Entry entry) => ByPid[entry.Pid] = entry;

    public static void Remove(int pid) => ByPid.TryRemove(pid, out _);

    public static IReadOnlyList<Entry> All => [.. ByPid.Values];
}
