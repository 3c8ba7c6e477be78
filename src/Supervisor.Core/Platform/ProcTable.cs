using System.Runtime.Versioning;

namespace Supervisor.Core.Platform;

/// <summary>
/// Every living process from one pass over /proc, linked parent to children, so many process
/// trees can be resolved from a single scan. Reusable: <see cref="Refresh"/> rescans into the
/// same buffers. Not thread-safe.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class ProcTable
{
    private readonly byte[] buffer = new byte[ProcFs.StatBufferSize];
    private readonly Dictionary<int, int> indexByPid = new(512);
    private readonly Stack<int> pending = new();
    private readonly int selfPid = Environment.ProcessId;
    private ProcStat[] entries = new ProcStat[512];
    private int[] firstChild = new int[512];
    private int[] nextSibling = new int[512];
    private int[] visitedIn = new int[512];
    private int count;
    private int walk;

    public int Count => count;

    /// <summary>
    /// Not 0 when the last <see cref="Refresh"/> could not read some process's stat for a reason
    /// other than its being gone (EMFILE under a low `ulimit -n`): the table may miss living processes.
    /// </summary>
    public int IncompleteErrno { get; private set; }

    public ref readonly ProcStat this[int index] => ref entries[index];

    /// <summary>Rescans /proc. Zombies are left out: they have exited and own no children.</summary>
    public void Refresh()
    {
        count = 0;
        indexByPid.Clear();
        IncompleteErrno = 0;
        foreach (var pid in ProcFs.EnumeratePids())
        {
            if (!ProcFs.TryReadStat(pid, buffer, out var stat, out var errno))
            {
                if (!ProcFs.MeansGone(errno)) IncompleteErrno = errno;
                continue;
            }

            if (stat.HasExited)
            {
                continue;
            }

            if (count == entries.Length)
            {
                Grow();
            }

            entries[count] = stat;
            indexByPid[pid] = count;
            count++;
        }

        Array.Fill(firstChild, -1, 0, count);
        for (var i = 0; i < count; i++)
        {
            if (indexByPid.TryGetValue(entries[i].ParentPid, out var parent) && parent != i)
            {
                nextSibling[i] = firstChild[parent];
                firstChild[parent] = i;
            }
            else
            {
                nextSibling[i] = -1;
            }
        }
    }

    /// <summary>
    /// Adds to <paramref name="indices"/> the root (if alive), its descendants, and everything left in
    /// the root's session or process group together with their descendants. This process and its
    /// descendants are never included, so a stop can never reach the supervisor itself.
    /// </summary>
    public void CollectTree(int rootPid, List<int> indices)
    {
        walk++;
        if (indexByPid.TryGetValue(rootPid, out var root))
        {
            Walk(root, indices);
        }

        for (var i = 0; i < count; i++)
        {
            if ((entries[i].SessionId == rootPid || entries[i].ProcessGroupId == rootPid) && visitedIn[i] != walk)
            {
                Walk(i, indices);
            }
        }
    }

    private void Walk(int start, List<int> indices)
    {
        pending.Push(start);
        while (pending.TryPop(out var i))
        {
            if (visitedIn[i] == walk || entries[i].Pid == selfPid)
            {
                continue;
            }

            visitedIn[i] = walk;
            indices.Add(i);
            for (var child = firstChild[i]; child >= 0; child = nextSibling[child])
            {
                pending.Push(child);
            }
        }
    }

    private void Grow()
    {
        var size = entries.Length * 2;
        Array.Resize(ref entries, size);
        Array.Resize(ref firstChild, size);
        Array.Resize(ref nextSibling, size);
        Array.Resize(ref visitedIn, size);
    }
}
