using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Supervisor.Core.Config;

/// <summary>
/// A YAML parser that stops at the first mapping or list nested deeper than a limit, before
/// the representation model (which recurses per level) or anything after it sees the events.
/// </summary>
/// <remarks>
/// YamlDotNet's parser itself is a loop, not a recursion, so the event stream is safe to walk;
/// the tree built from it is not: 50,000 levels overflowed the daemon's stack (issue 14).
/// Stopping at the limit also bounds the scanner's per-level work, which grows with depth squared.
/// </remarks>
internal sealed class DepthLimitedParser(IParser inner, int maxDepth) : IParser
{
    private int _depth;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        switch (inner.Current)
        {
            case MappingStart or SequenceStart:
                if (++_depth > maxDepth)
                {
                    throw new NestingTooDeepException(inner.Current.Start, inner.Current.End, maxDepth);
                }

                break;
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }

        return true;
    }
}

/// <summary>Mappings and lists are nested deeper than <see cref="EcosystemLimits.MaxNestingDepth"/>.</summary>
internal sealed class NestingTooDeepException(Mark start, Mark end, int maxDepth)
    : YamlException(start, end, $"Nested more than {maxDepth} deep.")
{
    public int MaxDepth { get; } = maxDepth;
}
