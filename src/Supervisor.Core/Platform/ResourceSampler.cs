namespace Supervisor.Core.Platform;

/// <summary>
/// CPU and memory of many process trees at once. On Linux one <see cref="Sample"/> is one pass over
/// /proc for all roots. CPU is a rate, so the first sample of a root reports 0%, and each later
/// one covers the time since the previous call; a root left out of a call starts over.
/// Safe to call from several threads (calls are serialized).
/// </summary>
public sealed class ResourceSampler(IProcessControl pc, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly ProcTable? table = OperatingSystem.IsLinux() && pc is LinuxProcessControl ? new ProcTable() : null;
    private readonly List<int> treeIndices = [];
    private readonly long pageSize = Environment.SystemPageSize;
    private Dictionary<int, CpuMark> marks = [];
    private Dictionary<int, CpuMark> nextMarks = [];
    private Dictionary<int, long> sampledAt = [];
    private Dictionary<int, long> nextSampledAt = [];

    /// <summary>Usage per root pid; a root whose tree is gone maps to all zeros.</summary>
    public IReadOnlyDictionary<int, ResourceUsage> Sample(IEnumerable<int> rootPids)
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            if (OperatingSystem.IsLinux())
            {
                table?.Refresh();
            }

            var usage = new Dictionary<int, ResourceUsage>();
            foreach (var root in rootPids)
            {
                if (!usage.ContainsKey(root))
                {
                    usage[root] = SampleTree(root, now);
                }
            }

            (marks, nextMarks) = (nextMarks, marks);
            (sampledAt, nextSampledAt) = (nextSampledAt, sampledAt);
            nextMarks.Clear();
            nextSampledAt.Clear();
            return usage;
        }
    }

    private ResourceUsage SampleTree(int root, long now)
    {
        var tree = new TreeTotals();
        if (root <= 0)
        {
            return default; // 0 and below name groups or everyone, never an app
        }

        if (OperatingSystem.IsLinux() && table is not null)
        {
            treeIndices.Clear();
            table.CollectTree(root, treeIndices);
            foreach (var index in treeIndices)
            {
                ref readonly var stat = ref table[index];
                Add(ref tree, stat.Pid, new CpuMark(stat.StartTimeTicks, stat.CpuTicks), stat.RssPages * pageSize);
            }
        }
        else
        {
            foreach (var pid in pc.GetProcessTree(root))
            {
                if (pc.TryGetInfo(pid) is { } info)
                {
                    Add(ref tree, pid, new CpuMark(info.StartTimeTicks, info.CpuTicks), info.RssBytes);
                }
            }
        }

        nextSampledAt[root] = now;
        var percent = 0.0;
        if (sampledAt.TryGetValue(root, out var before) && time.GetElapsedTime(before, now) is { TotalSeconds: > 0 } elapsed)
        {
            percent = tree.CpuTicks * 100.0 / pc.TicksPerSecond / elapsed.TotalSeconds;
        }

        return new ResourceUsage(percent, tree.MemoryBytes, tree.ProcessCount);
    }

    /// <summary>
    /// CPU is counted per process since its previous mark. A process without one (started since, or a
    /// pid reused: another start time) counts all its CPU time: it all falls within the interval.
    /// </summary>
    private void Add(ref TreeTotals tree, int pid, CpuMark mark, long rssBytes)
    {
        var used = mark.CpuTicks;
        if (marks.TryGetValue(pid, out var previous) && previous.StartTimeTicks == mark.StartTimeTicks)
        {
            used = mark.CpuTicks >= previous.CpuTicks ? mark.CpuTicks - previous.CpuTicks : 0;
        }

        nextMarks[pid] = mark;
        tree.CpuTicks += used;
        tree.MemoryBytes += rssBytes;
        tree.ProcessCount++;
    }

    private readonly record struct CpuMark(ulong StartTimeTicks, ulong CpuTicks);

    private struct TreeTotals
    {
        public ulong CpuTicks;
        public long MemoryBytes;
        public int ProcessCount;
    }
}
