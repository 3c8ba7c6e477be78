using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Supervisor.Cli.Output;
using Supervisor.Core;
using Supervisor.Core.Daemon;
using Supervisor.Core.Rpc;

namespace Supervisor.Cli;

/// <summary>
/// `sup ls --json`, `sup ping` and plain `sup ls` without the command tree: no System.CommandLine,
/// no async RPC connection, just <see cref="RpcQuickCall"/>. The first two write the daemon's
/// reply with no JSON library at all; monitors and scripts call them in loops, where start-up
/// is most of the cost (docs/benchmarks.md). Plain `sup ls`, the command people type most, reads
/// the rows with <see cref="AppInfoReader"/> and prints the same table as the full command. All
/// three are read-only, so when the quick call gives up (no daemon, an error reply) the full CLI
/// simply runs the command again and reports as usual.
/// </summary>
internal static class FastPath
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <returns>The exit code, or null when the full CLI must handle the command.</returns>
    public static int? TryRun(string[] args)
    {
        (string Method, Func<byte[], byte[]?> Print)? call = args switch
        {
            ["ls" or "list" or "status", "--json"] => ("list", result => [.. result, (byte)'\n']),
            ["ls" or "list" or "status"] => ("list", Table),
            ["ping"] => ("ping", Pong),
            _ => null,
        };
        if (call is not var (method, print))
        {
            return null;
        }

        byte[] output;
        try
        {
            var socket = RpcServer.ResolveSocketPath(SupPaths.FromEnvironment().Home, out _);
            if (RpcQuickCall.TryInvoke(socket, method, Timeout) is not { } result || print(result) is not { } printed)
            {
                return null;
            }
            output = printed;
        }
        catch (Exception ex) when (ex is IOException or SupException or JsonException)
        {
            return null;
        }

        // Straight to the descriptor: no console encoding or writer to set up. (A closed pipe is
        // ignored here as it is by Console.WriteLine; a closed descriptor is not.)
        try
        {
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(output);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(Terminal.Error(Terminal.CannotWriteOutput(ex)));
            return ExitCodes.Failed;
        }
        return ExitCodes.Ok;
    }

    /// <summary>The `sup ls` table, as the full command prints it.</summary>
    private static byte[] Table(byte[] list)
    {
        using var rows = JsonDocument.Parse(list);
        return Encoding.UTF8.GetBytes(AppTable.Render(AppInfoReader.ReadArray(rows.RootElement)));
    }

    /// <summary>`pong (daemon pid N)`; null (the full CLI then answers) if the reply has no pid.</summary>
    private static byte[]? Pong(byte[] result) =>
        PidOf(result) is int pid ? Encoding.ASCII.GetBytes("pong (daemon pid " + pid.ToString(CultureInfo.InvariantCulture) + ")\n") : null;

    /// <summary>The "pid" number of ping's result object (no JSON library on this path).</summary>
    private static int? PidOf(ReadOnlySpan<byte> result)
    {
        var key = result.IndexOf("\"pid\":"u8);
        return key >= 0 && Utf8Parser.TryParse(result[(key + 6)..], out int pid, out _) ? pid : null;
    }
}
