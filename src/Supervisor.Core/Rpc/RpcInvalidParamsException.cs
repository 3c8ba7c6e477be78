namespace Supervisor.Core.Rpc;

/// <summary>Thrown by a handler (or <see cref="RpcParams"/>) to answer -32602 Invalid params.</summary>
public sealed class RpcInvalidParamsException(string message, string? parameterName = null) : Exception(message)
{
    /// <summary>The parameter at fault, when one is.</summary>
    public string? ParameterName { get; } = parameterName;
}
