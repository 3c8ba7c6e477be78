namespace Supervisor.Core.Events;

/// <summary>What an event is about. Wire names: "service", "job", "daemon".</summary>
public enum EventSource { Service, Job, Daemon }
