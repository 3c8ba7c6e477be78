namespace Supervisor.Core.Readiness;

/// <summary>
/// A check of an app as the ecosystem file wrote it (`ready:` or `health:`): one of the kinds
/// below. <see cref="What"/> names it in reasons ("tcp 127.0.0.1:8080", "GET http://…").
/// </summary>
public abstract record ProbeSpec
{
    /// <summary>How `sup ls`, describe and daemon.log name the check.</summary>
    public abstract string What { get; }

    /// <summary>The `ready:`/`health:` key that selects this kind.</summary>
    public abstract string Kind { get; }
}

/// <summary>`tcp: PORT` or `tcp: host:port`: a connection is accepted.</summary>
public sealed record TcpProbeSpec(string Host, int Port) : ProbeSpec
{
    public override string What => $"tcp {Host}:{Port}";
    public override string Kind => "tcp";
}

/// <summary>`http: URL`: a GET answers 2xx or 3xx (redirects are not followed).</summary>
public sealed record HttpProbeSpec(Uri Url) : ProbeSpec
{
    public override string What => $"GET {Url}";
    public override string Kind => "http";
}

/// <summary>`exec: "CMD"`: the command (through `sh -c`, in the app's folder and env) exits 0.</summary>
public sealed record ExecProbeSpec(string Command) : ProbeSpec
{
    public override string What => $"exec `{Command}`";
    public override string Kind => "exec";
}

/// <summary>`log: "REGEX"`: a line of the app's stdout or stderr matches (readiness only).</summary>
public sealed record LogProbeSpec(string Pattern) : ProbeSpec
{
    public override string What => $"a log line matching /{Pattern}/";
    public override string Kind => "log";
}

/// <summary>`notify: true`: the app sends READY=1 to the NOTIFY_SOCKET sup gives it, as under systemd (readiness only).</summary>
public sealed record NotifyProbeSpec : ProbeSpec
{
    public override string What => "READY=1 on NOTIFY_SOCKET";
    public override string Kind => "notify";
}
