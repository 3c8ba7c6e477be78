using System.Globalization;
using System.Security.Cryptography;
using Supervisor.Core.Config;
using Supervisor.Core.Platform;

namespace Supervisor.Core.Supervision.Cluster;

/// <summary>
/// Where a cluster's files live, under $SUP_HOME/cluster: the bundled primary (written from this
/// assembly's resource, named by its hash so an updated sup never runs an old primary), each
/// cluster's status (written by its primary) and its scale file (written by `sup scale`).
/// </summary>
public static class ClusterFiles
{
    private const string Resource = "Supervisor.Core.cluster-primary.js";

    public static string Folder(string supHome) => Path.Combine(supHome, "cluster");

    public static string Status(string supHome, string app) => Path.Combine(Folder(supHome), app + ".status.json");

    /// <summary>Line 1: the worker count `sup scale` asked for; line 2: the file's instances it replaced.</summary>
    public static string Scale(string supHome, string app) => Path.Combine(Folder(supHome), app + ".scale");

    /// <summary>The primary's path, written (atomically) when missing.</summary>
    public static string Primary(string supHome)
    {
        var bytes = PrimaryBytes.Value;
        var path = Path.Combine(Folder(supHome), $"primary-{Hash.Value}.js");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Folder(supHome));
            AtomicFile.WriteAllBytes(path, bytes, durable: false);
        }

        return path;
    }

    /// <summary>The worker count to start with: the spec's, unless `sup scale` changed it since the spec was loaded.</summary>
    public static int Workers(string supHome, AppSpec spec)
    {
        var file = Scale(supHome, spec.Name);
        var configured = spec.ClusterInstances ?? 1;
        try
        {
            var lines = File.ReadAllLines(file);
            if (lines is [var wanted, var replaced]
                && int.TryParse(wanted, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
                && replaced == configured.ToString(CultureInfo.InvariantCulture))
            {
                return n;
            }

            // The file's instances changed since the scale: the file wins again.
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return configured;
    }

    public static void WriteScale(string supHome, AppSpec spec, int workers)
    {
        Directory.CreateDirectory(Folder(supHome));
        AtomicFile.WriteAllText(Scale(supHome, spec.Name),
            string.Create(CultureInfo.InvariantCulture, $"{workers}\n{spec.ClusterInstances ?? 1}\n"));
    }

    public static void Forget(string supHome, string app)
    {
        foreach (var path in new[] { Scale(supHome, app), Status(supHome, app) })
        {
            try { File.Delete(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private static readonly Lazy<byte[]> PrimaryBytes = new(() =>
    {
        using var stream = typeof(ClusterFiles).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The resource {Resource} is missing from {typeof(ClusterFiles).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    private static readonly Lazy<string> Hash = new(() => Convert.ToHexStringLower(SHA256.HashData(PrimaryBytes.Value))[..12]);
}
