using Supervisor.Core.Platform;

namespace Supervisor.Tests.Platform;

/// <summary>A process table the test writes: no /proc, no real processes.</summary>
internal sealed class FakeProcessControl : IProcessControl
{
    public Dictionary<int, ProcessInfo> Processes { get; } = [];

    public bool CanCreateSessions => false;

    public long TicksPerSecond => 100;

    public long BootTimeUnixSeconds => 0;

    public int CurrentUid => 1000;

    public void Set(int pid, int parent, ulong cpuTicks, long rssBytes = 0, ulong startTicks = 1) =>
        Processes[pid] = new ProcessInfo(pid, parent, pid, pid, startTicks, cpuTicks, rssBytes, "fake");

    public bool Signal(int pid, int signal) => Processes.Remove(pid);

    public bool SignalGroup(int processGroupId, int signal) => Processes.Remove(processGroupId);

    public bool IsAlive(int pid) => Processes.ContainsKey(pid);

    public ProcessInfo? TryGetInfo(int pid) => Processes.GetValueOrDefault(pid);

    public IReadOnlyList<int> GetProcessTree(int rootPid)
    {
        var tree = new List<int>();
        var pending = new Stack<int>([rootPid]);
        while (pending.TryPop(out var pid))
        {
            if (Processes.ContainsKey(pid))
            {
                tree.Add(pid);
                foreach (var child in Processes.Values.Where(p => p.ParentPid == pid))
                {
                    pending.Push(child.Pid);
                }
            }
        }

        return tree;
    }

    public ProcessStartWrapper WrapForNewSession(string fileName, IReadOnlyList<string> arguments) => new(fileName, arguments);
}
