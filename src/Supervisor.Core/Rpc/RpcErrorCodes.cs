namespace Supervisor.Core.Rpc;

/// <summary>
/// JSON-RPC 2.0 error codes, plus the two StreamJsonRpc and the LSP use. Application errors
/// use <see cref="SupError"/> values (1000-1999), outside the reserved -32768..-32000 range.
/// </summary>
public static class RpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;

    /// <summary>StreamJsonRpc's code for "the method threw"; sup reports unexpected failures as <see cref="InternalError"/>.</summary>
    public const int ServerError = -32000;

    /// <inheritdoc cref="ServerError"/>
    public const int MethodThrew = ServerError;

    /// <summary>The request was cancelled by <c>$/cancelRequest</c> (LSP and StreamJsonRpc use this code).</summary>
    public const int RequestCancelled = -32800;

    /// <summary>Application error codes: <see cref="SupError"/> values live here.</summary>
    internal const int FirstAppCode = 1000;
    internal const int LastAppCode = 1999;

    internal static bool IsAppCode(int code) => code is >= FirstAppCode and <= LastAppCode;
}
