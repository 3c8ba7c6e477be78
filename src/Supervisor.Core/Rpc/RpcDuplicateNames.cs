using System.Text.Json;

namespace Supervisor.Core.Rpc;

/// <summary>
/// Whether any object in a message names a member twice (<c>{"method":"ping","method":"kill"}</c>),
/// compared as System.Text.Json's own check compares them: after unescaping, ordinally.
/// </summary>
/// <remarks>
/// Done here instead of with <c>JsonDocumentOptions.AllowDuplicateProperties = false</c>, whose
/// set of names is hashed with a seed from <c>RandomNumberGenerator</c>: that loads OpenSSL into
/// the process, several milliseconds of every CLI call whose reply has an object of more than a
/// few members. String hashing in CoreLib seeds from the OS without OpenSSL.
/// </remarks>
internal static class RpcDuplicateNames
{
    // Up to this many members a pairwise comparison beats building a set.
    private const int PairwiseLimit = 8;

    public static bool Any(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                return HasDuplicateMember(element) || element.EnumerateObject().Any(member => Any(member.Value));
            case JsonValueKind.Array:
                return element.EnumerateArray().Any(Any);
            default:
                return false;
        }
    }

    private static bool HasDuplicateMember(JsonElement obj)
    {
        var names = new List<string>();
        foreach (JsonProperty member in obj.EnumerateObject())
        {
            names.Add(member.Name);
        }

        if (names.Count <= PairwiseLimit)
        {
            for (int i = 1; i < names.Count; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    if (string.Equals(names[i], names[j], StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        var seen = new HashSet<string>(names.Count, StringComparer.Ordinal);
        return names.Any(name => !seen.Add(name));
    }
}
