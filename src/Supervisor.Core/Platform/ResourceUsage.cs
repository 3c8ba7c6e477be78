namespace Supervisor.Core.Platform;

/// <summary>What one app's process tree uses.</summary>
/// <param name="CpuPercent">Percent of one core since the previous sample, summed over the tree (200 = two busy cores).</param>
/// <param name="MemoryBytes">Resident memory summed over the tree (shared pages count once per process, as in PM2).</param>
/// <param name="ProcessCount">Living processes in the tree; 0 when it is gone.</param>
public readonly record struct ResourceUsage(double CpuPercent, long MemoryBytes, int ProcessCount);
