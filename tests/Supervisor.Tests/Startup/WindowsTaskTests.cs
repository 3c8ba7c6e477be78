using System.Xml.Linq;
using Supervisor.Core.Startup;
using Xunit;

namespace Supervisor.Tests.Startup;

public sealed class WindowsTaskTests
{
    private static readonly XNamespace Ns = "http://schemas.microsoft.com/windows/2004/02/mit/task";

    private static StartupSpec Windows(StartupScope scope = StartupScope.User, string? supHome = null) => new()
    {
        Scope = scope,
        UserName = "ann",
        HomeDirectory = "/home/ann",
        SupHome = supHome ?? "/home/ann/.sup",
        SupCommand = ["C:\\Program Files\\sup\\sup.exe"],
        StopTimeout = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public void A_user_task_starts_the_daemon_with_resurrect_at_logon_and_never_times_it_out()
    {
        var spec = Windows();

        var task = XDocument.Parse(WindowsTask.Render(spec)).Root!;

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-16\"?>", WindowsTask.Render(spec));
        Assert.Equal(Ns + "Task", task.Name);
        Assert.Equal("ann", task.Descendants(Ns + "LogonTrigger").Single().Element(Ns + "UserId")!.Value);
        Assert.Equal("InteractiveToken", task.Descendants(Ns + "LogonType").Single().Value);
        var exec = task.Descendants(Ns + "Exec").Single();
        Assert.Equal("C:\\Program Files\\sup\\sup.exe", exec.Element(Ns + "Command")!.Value);
        Assert.Equal("daemon --resurrect", exec.Element(Ns + "Arguments")!.Value);
        Assert.Equal("PT0S", task.Descendants(Ns + "ExecutionTimeLimit").Single().Value);
        Assert.Equal("IgnoreNew", task.Descendants(Ns + "MultipleInstancesPolicy").Single().Value);
        Assert.NotNull(task.Descendants(Ns + "RestartOnFailure").SingleOrDefault());
        Assert.Equal("sup-ann", WindowsTask.TaskName(spec));
        Assert.Equal("/home/ann/.sup/sup-task.xml", WindowsTask.DefinitionPath(spec));
    }

    [Fact]
    public void A_system_task_starts_at_boot_without_a_logon()
    {
        var task = XDocument.Parse(WindowsTask.Render(Windows(StartupScope.System))).Root!;

        Assert.Single(task.Descendants(Ns + "BootTrigger"));
        Assert.Empty(task.Descendants(Ns + "LogonTrigger"));
        Assert.Equal("S4U", task.Descendants(Ns + "LogonType").Single().Value);
    }

    [Fact]
    public void A_sup_home_other_than_the_default_is_set_through_cmd_because_a_task_cannot_set_variables()
    {
        var (command, arguments) = WindowsTask.Action(Windows(supHome: "/data/sup home"));

        Assert.Equal("cmd.exe", command);
        Assert.Equal("/d /s /c \"set \"SUP_HOME=/data/sup home\" && \"C:\\Program Files\\sup\\sup.exe\" daemon --resurrect\"", arguments);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("C:\\dir with space\\", "\"C:\\dir with space\\\\\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("", "\"\"")]
    public void Arguments_are_quoted_as_windows_reads_them_back(string argument, string expected)
    {
        Assert.Equal(expected, WindowsTask.QuoteArgument(argument));
    }
}
