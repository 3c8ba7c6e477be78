namespace Supervisor.Core.Platform;

/// <summary>The program and arguments to hand to <c>ProcessStartInfo</c> instead of the app's own.</summary>
public sealed record ProcessStartWrapper(string FileName, IReadOnlyList<string> Arguments);
