using System.Net.Sockets;
using System.Text;

namespace Supervisor.Core.Platform;

/// <summary>
/// The receiving end of sd_notify(3) for one app: a Unix datagram socket whose path the app gets
/// in NOTIFY_SOCKET, as systemd gives a Type=notify service. Each datagram is newline-separated
/// KEY=VALUE assignments; READY=1 completes <see cref="Ready"/>, STATUS= is kept. Messages from
/// any sender are taken (systemd's NotifyAccess=all): the socket sits in a 0700 folder of ours.
/// </summary>
public sealed class NotifySocketListener : IDisposable
{
    /// <summary>sockaddr_un holds 108 bytes with the terminating NUL.</summary>
    public const int MaxPathBytes = 107;

    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private NotifySocketListener(string path, Socket socket)
    {
        Path = path;
        _socket = socket;
        _ = ReceiveAsync();
    }

    public string Path { get; }

    /// <summary>Completes at the first READY=1.</summary>
    public Task Ready => _ready.Task;

    /// <summary>The last STATUS= the app sent, if any.</summary>
    public string? Status { get; private set; }

    /// <summary>Binds a fresh socket at <paramref name="path"/> (what was there is removed first: a socket left by a killed daemon).</summary>
    /// <exception cref="SocketException">The socket could not be bound.</exception>
    /// <exception cref="IOException">The path is too long or its folder cannot be made.</exception>
    public static NotifySocketListener Open(string path)
    {
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
            throw new IOException($"NOTIFY_SOCKET path {path} is longer than {MaxPathBytes} bytes.");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.Delete(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new NotifySocketListener(path, socket);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                Take(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Disposed: the app's run is over.
        }
    }

    private void Take(string message)
    {
        foreach (var line in message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line == "READY=1") _ready.TrySetResult();
            else if (line.StartsWith("STATUS=", StringComparison.Ordinal)) Status = line["STATUS=".Length..];
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
        try { File.Delete(Path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }
}
