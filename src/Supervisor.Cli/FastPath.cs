using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Supervisor.Core;
using Supervisor.Core.Daemon;
using Supervisor.Core.Rpc;

namespace Supervisor.Cli;

/// <summary>
/// `sup ls --json` and `sup ping` without the command tree: no System.CommandLine, no
/// Spectre.Console, no async RPC connection, no JSON library: just <see cref="RpcQuickCall"/> and the daemon's
/// reply written to stdout. Monitors and scripts call these in loops, where start-up is most of
/// the cost (docs/benchmarks.md). Both are read-only, so when the quick call gives up (no daemon,
/// an error reply) the full CLI simply runs the command again and reports as usual.
/// </summary>
internal static class FastPath
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <returns>The exit code, or null when the full CLI must handle the command.</returns>
    public static int? TryRun(string[] args)
    {
        var method = args switch
        {
            ["ls" or "list" or "status", "--json"] => "list",
            ["ping"] => "ping",
            _ => null,
        };
        if (method is null)
        {
            return null;
        }

        byte[] output;
        try
        {
            var socket = RpcServer.ResolveSocketPath(SupPaths.FromEnvironment().Home, out _);
            if (RpcQuickCall.TryInvoke(socket, method, Timeout) is not { } result)
            {
                return null;
            }
            if (method == "list")
            {
                output = [.. result, (byte)'\n'];
            }
            else if (PidOf(result) is int pid)
            {
                output = Encoding.ASCII.GetBytes("pong (daemon pid " + pid.ToString(CultureInfo.InvariantCulture) + ")\n");
            }
            else
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is IOException or SupException)
        {
            return null;
        }

        // Straight to the descriptor: no console encoding or writer to set up. (A closed pipe is
        // ignored here as it is by Console.WriteLine.)
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(output);
        return ExitCodes.Ok;
    }

    /// <summary>The "pid" number of ping's result object (no JSON library on this path).</summary>
    private static int? PidOf(ReadOnlySpan<byte> result)
    {
        var key = result.IndexOf("\"pid\":"u8);
        return key >= 0 && Utf8Parser.TryParse(result[(key + 6)..], out int pid, out _) ? pid : null;
    }
}
