using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Supervisor.Core.Startup;

/// <summary>
/// The launchd job `sup startup launchd` writes: a LaunchAgent (~/Library/LaunchAgents, started
/// at login) or, with --system, a LaunchDaemon (/Library/LaunchDaemons, started at boot) that
/// runs as the user.
/// </summary>
public static class LaunchdPlist
{
    public const string AgentLabel = "dev.sup.daemon";

    public static string Label(StartupSpec spec) =>
        spec.Scope == StartupScope.User ? AgentLabel : $"{AgentLabel}.{spec.UserName}";

    public static string PlistPath(StartupSpec spec) =>
        spec.Scope == StartupScope.User
            ? Path.Combine(spec.HomeDirectory, "Library", "LaunchAgents", Label(spec) + ".plist")
            : Path.Combine("/Library/LaunchDaemons", Label(spec) + ".plist");

    /// <summary>launchctl's name for the job: gui/UID/LABEL for an agent, system/LABEL for a daemon.</summary>
    public static string ServiceTarget(StartupSpec spec) =>
        spec.Scope == StartupScope.User
            ? $"gui/{spec.UserId?.ToString(CultureInfo.InvariantCulture) ?? "$(id -u)"}/{Label(spec)}"
            : $"system/{Label(spec)}";

    public static string Render(StartupSpec spec)
    {
        var env = new XElement("dict", Entry("SUP_HOME", spec.SupHome));
        if (spec.PathVariable is { Length: > 0 } path) env.Add(Entry("PATH", path));

        var dict = new XElement("dict",
            Key("Label"), new XElement("string", Label(spec)),
            Key("ProgramArguments"), new XElement("array", spec.DaemonCommand.Select(a => new XElement("string", a))),
            Key("EnvironmentVariables"), env,
            Key("WorkingDirectory"), new XElement("string", spec.HomeDirectory),
            Key("RunAtLoad"), new XElement("true"),
            // Relaunch after a crash, not after `sup kill` (exit code 0).
            Key("KeepAlive"), new XElement("dict", Key("SuccessfulExit"), new XElement("false")),
            // launchd sends SIGTERM, then SIGKILL after this long: time for the daemon's own stop cascade.
            Key("ExitTimeOut"), new XElement("integer", ((long)spec.StopTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
            Key("StandardOutPath"), new XElement("string", Path.Combine(spec.SupHome, "daemon.out")),
            Key("StandardErrorPath"), new XElement("string", Path.Combine(spec.SupHome, "daemon.out")));
        if (spec.Scope == StartupScope.System)
            dict.Add(Key("UserName"), new XElement("string", spec.UserName));

        var document = new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XDocumentType("plist", "-//Apple//DTD PLIST 1.0//EN", "http://www.apple.com/DTDs/PropertyList-1.0.dtd", null),
            new XComment(" Written by `sup startup`; `sup unstartup` removes it. "),
            new XElement("plist", new XAttribute("version", "1.0"), dict));

        var text = new Utf8StringWriter();
        using (var writer = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, IndentChars = "  ", NewLineChars = "\n" }))
            document.Save(writer);
        return text + "\n";
    }

    private static XElement Key(string name) => new("key", name);

    private static object[] Entry(string name, string value) => [Key(name), new XElement("string", value)];

    private sealed class Utf8StringWriter() : StringWriter(CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    }
}
