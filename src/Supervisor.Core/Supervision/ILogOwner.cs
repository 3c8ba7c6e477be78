using Supervisor.Core.Logs;

namespace Supervisor.Core.Supervision;

/// <summary>An app owner whose log files can be flushed.</summary>
public interface ILogOwner
{
    AppLogs Logs { get; }
}
