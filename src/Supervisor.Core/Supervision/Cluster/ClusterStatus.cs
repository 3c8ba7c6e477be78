using System.Text.Json;
using System.Text.Json.Serialization;

namespace Supervisor.Core.Supervision.Cluster;

/// <summary>What a cluster primary last wrote about itself and its workers.</summary>
public sealed record ClusterStatus
{
    public int Primary { get; init; }
    public int Instances { get; init; }
    /// <summary>Rolling reloads completed since the primary started.</summary>
    public int Reloads { get; init; }
    public IReadOnlyList<ClusterWorker> Workers { get; init; } = [];

    /// <summary>The status of the primary <paramref name="primaryPid"/>, or null when none was written by it.</summary>
    public static ClusterStatus? Read(string path, int? primaryPid)
    {
        if (primaryPid is null) return null;
        try
        {
            var status = JsonSerializer.Deserialize(File.ReadAllText(path), ClusterJson.Default.ClusterStatus);
            return status?.Primary == primaryPid ? status : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}

/// <summary>One worker slot: <see cref="Index"/> is its NODE_APP_INSTANCE.</summary>
public sealed record ClusterWorker
{
    public int Index { get; init; }
    public int? Pid { get; init; }
    /// <summary>Times the primary replaced a dead worker in this slot.</summary>
    public int Restarts { get; init; }
    public long StartedAtMs { get; init; }
    /// <summary>"online", or "waiting" between a worker's death and its replacement.</summary>
    public string Status { get; init; } = "online";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ClusterStatus))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ClusterJson : JsonSerializerContext;
