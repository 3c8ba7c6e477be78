namespace Supervisor.Core.Protocol;

/// <summary>Where an app's logs are, so `sup logs` can read and follow the files directly.</summary>
public sealed record LogPathsInfo(string Name, string Out, string Err);
