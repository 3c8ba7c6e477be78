// A small program the tests run as a child: one verb per behaviour a supervised app can show.
// Long-running verbs print "ready" once their signal handlers are in, so tests can wait for it.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

var verb = args.Length > 0 ? args[0] : "";
var rest = args.Skip(1).ToArray();
return verb switch
{
    "sleep" => Sleep(rest),
    "exit" => int.Parse(rest[0], CultureInfo.InvariantCulture),
    "crash-after" => CrashAfter(rest),
    "ignore-sigterm" => IgnoreSigterm(),
    "graceful-stop" => GracefulStop(rest),
    "spawn-grandchild" => SpawnGrandchild(),
    "print-env" => PrintEnv(rest),
    "write-lines" => WriteLines(rest),
    "alloc" => Alloc(rest),
    "busy" => Busy(),
    "echo-args" => EchoArgs(rest),
    "listen-after" => ListenAfter(rest),
    "notify-ready-after" => NotifyReadyAfter(rest),
    _ => Usage(),
};

static int Sleep(string[] rest)
{
    Ready();
    Thread.Sleep(rest.Length > 0 ? TimeSpan.FromSeconds(double.Parse(rest[0], CultureInfo.InvariantCulture)) : Timeout.InfiniteTimeSpan);
    return 0;
}

static int CrashAfter(string[] rest)
{
    var code = rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 1;
    Ready();
    Thread.Sleep(int.Parse(rest[0], CultureInfo.InvariantCulture));
    Console.Error.WriteLine($"crashing with exit code {code}");
    return code;
}

static int IgnoreSigterm()
{
    using var registration = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        Console.WriteLine("ignoring SIGTERM");
    });
    Ready();
    Thread.Sleep(Timeout.Infinite);
    return 0;
}

static int GracefulStop(string[] rest)
{
    var delay = int.Parse(rest[0], CultureInfo.InvariantCulture);
    using var stopRequested = new ManualResetEventSlim();
    using var registration = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        stopRequested.Set();
    });
    Ready();
    stopRequested.Wait();
    Console.WriteLine("stopping");
    Thread.Sleep(delay);
    Console.WriteLine("stopped");
    return 0;
}

static int SpawnGrandchild()
{
    // Neither child is redirected: both inherit this process's stdout and stderr, like real
    // grandchildren that keep an app's output pipes open.
    using var sleeper = Process.Start("sleep", "300");
    using var stubborn = Process.Start(new ProcessStartInfo("sh") { ArgumentList = { "-c", "trap '' TERM; sleep 300" } })!;
    Console.WriteLine($"grandchild {sleeper.Id}");
    Console.WriteLine($"grandchild {stubborn.Id}");
    Ready();
    Thread.Sleep(Timeout.Infinite);
    return 0;
}

static int PrintEnv(string[] rest)
{
    var exit = rest.Contains("--exit");
    var names = rest.Where(arg => arg != "--exit").ToList();
    if (names.Count == 0)
    {
        names = Environment.GetEnvironmentVariables().Keys.Cast<string>().Order(StringComparer.Ordinal).ToList();
    }

    foreach (var name in names)
    {
        var value = Environment.GetEnvironmentVariable(name);
        Console.WriteLine(value is null ? $"{name} is unset" : $"{name}={value}");
    }

    if (exit)
    {
        return 0;
    }

    Ready();
    Thread.Sleep(Timeout.Infinite);
    return 0;
}

static int WriteLines(string[] rest)
{
    var count = int.Parse(rest[0], CultureInfo.InvariantCulture);
    var toStderr = rest.Contains("--stderr");
    var widthAt = Array.IndexOf(rest, "--width");
    var width = widthAt >= 0 ? int.Parse(rest[widthAt + 1], CultureInfo.InvariantCulture) : 0;

    using var stream = toStderr ? Console.OpenStandardError() : Console.OpenStandardOutput();
    using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
    for (var i = 1; i <= count; i++)
    {
        var line = $"line {i:D6}";
        writer.Write(line);
        if (width > line.Length)
        {
            writer.Write(' ');
            writer.Write(new string('x', width - line.Length - 1));
        }

        writer.Write('\n');
    }

    return 0;
}

static int Alloc(string[] rest)
{
    var bytes = new byte[long.Parse(rest[0], CultureInfo.InvariantCulture) * 1024 * 1024];
    // Write every page so it is resident, not just reserved.
    for (var i = 0; i < bytes.Length; i += 4096)
    {
        bytes[i] = 1;
    }

    Ready();
    Thread.Sleep(Timeout.Infinite);
    GC.KeepAlive(bytes);
    return 0;
}

static int Busy()
{
    Ready();
    while (true)
    {
        Thread.SpinWait(1_000_000);
    }
}

static int EchoArgs(string[] rest)
{
    foreach (var arg in rest)
    {
        Console.WriteLine(arg);
    }

    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: testapp sleep [s] | exit N | crash-after MS [code] | ignore-sigterm | graceful-stop MS | "
                            + "spawn-grandchild | print-env [NAMES...] [--exit] | write-lines N [--stderr] [--width W] | "
                            + "alloc MB | busy | echo-args ARGS...");
    return 2;
}

// listen-after MS|FILE PORT [http]: after MS ms, or once FILE exists, accept connections on
// 127.0.0.1:PORT (with http, answer each request 200 "ok"), so a ready:/health: check has
// something to find late. A file lets a test decide when, whatever the machine's load.
static int ListenAfter(string[] rest)
{
    if (int.TryParse(rest[0], CultureInfo.InvariantCulture, out var ms)) Thread.Sleep(ms);
    else while (!File.Exists(rest[0])) Thread.Sleep(20);
    var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, int.Parse(rest[1], CultureInfo.InvariantCulture));
    listener.Start();
    Console.WriteLine("listening on " + rest[1]);
    Console.Out.Flush();
    var http = rest.Contains("http");
    while (true)
    {
        using var client = listener.AcceptTcpClient();
        if (!http) continue;
        client.ReceiveTimeout = 5000;
        var stream = client.GetStream();
        var request = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = stream.Read(buffer);
                if (n == 0) break;
                request.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
            stream.Write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8);
        }
        catch (IOException)
        {
        }
    }
}

// notify-ready-after MS: after MS ms, send READY=1 to $NOTIFY_SOCKET as sd_notify(3) does, then sleep.
static int NotifyReadyAfter(string[] rest)
{
    Thread.Sleep(int.Parse(rest[0], CultureInfo.InvariantCulture));
    var path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET") ?? throw new InvalidOperationException("no NOTIFY_SOCKET");
    using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
    socket.SendTo("STATUS=serving\nREADY=1"u8, new System.Net.Sockets.UnixDomainSocketEndPoint(path));
    Console.WriteLine("sent READY=1");
    Console.Out.Flush();
    Thread.Sleep(Timeout.InfiniteTimeSpan);
    return 0;
}

static void Ready()
{
    Console.WriteLine("ready");
    Console.Out.Flush();
}
