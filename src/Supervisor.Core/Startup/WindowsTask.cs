using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Supervisor.Core.Startup;

/// <summary>
/// The Task Scheduler task `sup startup windows` registers (`schtasks /Create /XML`): at logon
/// of the user, or with --system at boot whether or not the user logs on (S4U). The definition
/// is kept in SUP_HOME so `sup unstartup` and the user can find it.
/// </summary>
/// <remarks>
/// Task Scheduler ends a task by terminating it, with no signal the daemon could handle, so on
/// Windows a shutdown does not run the graceful stop cascade.
/// </remarks>
public static class WindowsTask
{
    private static readonly XNamespace Ns = "http://schemas.microsoft.com/windows/2004/02/mit/task";

    public static string TaskName(StartupSpec spec) => $"sup-{spec.UserName}";

    public static string DefinitionPath(StartupSpec spec) => Path.Combine(spec.SupHome, "sup-task.xml");

    public static string Render(StartupSpec spec)
    {
        var (command, arguments) = Action(spec);
        var trigger = spec.Scope == StartupScope.User
            ? new XElement(Ns + "LogonTrigger", new XElement(Ns + "Enabled", "true"), new XElement(Ns + "UserId", spec.UserName))
            : new XElement(Ns + "BootTrigger", new XElement(Ns + "Enabled", "true"));
        var task = new XElement(Ns + "Task", new XAttribute("version", "1.2"),
            new XElement(Ns + "RegistrationInfo",
                new XElement(Ns + "Description", "sup process supervisor: runs `sup daemon --resurrect`. Written by `sup startup`; `sup unstartup` removes it."),
                new XElement(Ns + "URI", "\\" + TaskName(spec))),
            new XElement(Ns + "Triggers", trigger),
            new XElement(Ns + "Principals",
                new XElement(Ns + "Principal", new XAttribute("id", "Author"),
                    new XElement(Ns + "UserId", spec.UserName),
                    // S4U: runs at boot without the user's password (and without network credentials).
                    new XElement(Ns + "LogonType", spec.Scope == StartupScope.User ? "InteractiveToken" : "S4U"),
                    new XElement(Ns + "RunLevel", "LeastPrivilege"))),
            new XElement(Ns + "Settings",
                new XElement(Ns + "MultipleInstancesPolicy", "IgnoreNew"),
                new XElement(Ns + "DisallowStartIfOnBatteries", "false"),
                new XElement(Ns + "StopIfGoingOnBatteries", "false"),
                new XElement(Ns + "AllowHardTerminate", "true"),
                new XElement(Ns + "StartWhenAvailable", "true"),
                new XElement(Ns + "RunOnlyIfNetworkAvailable", "false"),
                new XElement(Ns + "IdleSettings", new XElement(Ns + "StopOnIdleEnd", "false"), new XElement(Ns + "RestartOnIdle", "false")),
                new XElement(Ns + "AllowStartOnDemand", "true"),
                new XElement(Ns + "Enabled", "true"),
                new XElement(Ns + "Hidden", "false"),
                new XElement(Ns + "RunOnlyIfIdle", "false"),
                // The daemon runs until shutdown: no time limit (the default would end it after 72 h).
                new XElement(Ns + "ExecutionTimeLimit", "PT0S"),
                new XElement(Ns + "Priority", "7"),
                new XElement(Ns + "RestartOnFailure", new XElement(Ns + "Interval", "PT1M"), new XElement(Ns + "Count", "3"))),
            new XElement(Ns + "Actions", new XAttribute("Context", "Author"),
                new XElement(Ns + "Exec",
                    new XElement(Ns + "Command", command),
                    new XElement(Ns + "Arguments", arguments),
                    new XElement(Ns + "WorkingDirectory", spec.HomeDirectory))));

        var text = new StringBuilder();
        using (var writer = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, IndentChars = "  ", OmitXmlDeclaration = true }))
            task.Save(writer);
        // schtasks reads the file as UTF-16 (the installer writes it so); the declaration must agree.
        return "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" + text.ToString().ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>
    /// A task cannot set environment variables: with a SUP_HOME other than ~/.sup the daemon is
    /// started through cmd.exe, which sets it first.
    /// </summary>
    internal static (string Command, string Arguments) Action(StartupSpec spec)
    {
        var command = spec.DaemonCommand;
        if (spec.HasDefaultSupHome)
            return (command[0], string.Join(' ', command.Skip(1).Select(QuoteArgument)));
        var line = string.Join(' ', command.Select(QuoteArgument));
        return ("cmd.exe", string.Create(CultureInfo.InvariantCulture, $"/d /s /c \"set \"SUP_HOME={spec.SupHome}\" && {line}\""));
    }

    /// <summary>Quoting as CommandLineToArgvW (and so .NET's argument parser) reads it back.</summary>
    internal static string QuoteArgument(string argument)
    {
        if (argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c == '"')) return argument;
        var text = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            text.Append('\\', c == '"' ? backslashes * 2 + 1 : backslashes);
            backslashes = 0;
            text.Append(c);
        }

        text.Append('\\', backslashes * 2).Append('"');
        return text.ToString();
    }
}
