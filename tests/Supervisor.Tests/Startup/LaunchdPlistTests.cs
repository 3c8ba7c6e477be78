using System.Xml.Linq;
using Supervisor.Core.Startup;
using Xunit;

namespace Supervisor.Tests.Startup;

public sealed class LaunchdPlistTests
{
    /// <summary>The top-level dict as key → value element, as launchd reads it.</summary>
    private static Dictionary<string, XElement> Dict(XElement dict)
    {
        var children = dict.Elements().ToList();
        var result = new Dictionary<string, XElement>();
        for (var i = 0; i < children.Count; i += 2)
        {
            Assert.Equal("key", children[i].Name.LocalName);
            result.Add(children[i].Value, children[i + 1]);
        }

        return result;
    }

    private static (XDocument Document, Dictionary<string, XElement> Keys) Parse(StartupSpec spec)
    {
        var document = XDocument.Parse(LaunchdPlist.Render(spec));
        return (document, Dict(document.Root!.Element("dict")!));
    }

    [Fact]
    public void A_launch_agent_runs_the_daemon_with_resurrect_at_load_and_relaunches_it_only_after_a_crash()
    {
        var spec = Specs.Ann(command: ["/usr/local/share/dotnet/dotnet", "/opt/sup/sup.dll"]);

        var (document, keys) = Parse(spec);

        Assert.Equal("/home/ann/Library/LaunchAgents/dev.sup.daemon.plist", LaunchdPlist.PlistPath(spec));
        Assert.Equal("plist", document.DocumentType!.Name);
        Assert.Equal("-//Apple//DTD PLIST 1.0//EN", document.DocumentType.PublicId);
        Assert.Equal("dev.sup.daemon", keys["Label"].Value);
        Assert.Equal(["/usr/local/share/dotnet/dotnet", "/opt/sup/sup.dll", "daemon", "--resurrect"], keys["ProgramArguments"].Elements("string").Select(e => e.Value));
        var env = Dict(keys["EnvironmentVariables"]);
        Assert.Equal("/home/ann/.sup", env["SUP_HOME"].Value);
        Assert.Equal("/home/ann/.local/bin:/usr/bin:/bin", env["PATH"].Value);
        Assert.Equal("true", keys["RunAtLoad"].Name.LocalName);
        Assert.Equal("false", Dict(keys["KeepAlive"])["SuccessfulExit"].Name.LocalName);
        Assert.Equal("55", keys["ExitTimeOut"].Value);
        Assert.Equal("/home/ann/.sup/daemon.out", keys["StandardErrorPath"].Value);
        Assert.False(keys.ContainsKey("UserName"));
        Assert.Equal("gui/1000/dev.sup.daemon", LaunchdPlist.ServiceTarget(spec));
    }

    [Fact]
    public void A_launch_daemon_is_per_user_and_runs_as_that_user()
    {
        var spec = Specs.Ann(StartupScope.System);

        var (_, keys) = Parse(spec);

        Assert.Equal("/Library/LaunchDaemons/dev.sup.daemon.ann.plist", LaunchdPlist.PlistPath(spec));
        Assert.Equal("dev.sup.daemon.ann", keys["Label"].Value);
        Assert.Equal("ann", keys["UserName"].Value);
        Assert.Equal("system/dev.sup.daemon.ann", LaunchdPlist.ServiceTarget(spec));
    }

    [Fact]
    public void Characters_xml_gives_meaning_to_are_escaped()
    {
        var (_, keys) = Parse(Specs.Ann(supHome: "/Users/ann/a&b <sup>"));

        Assert.Equal("/Users/ann/a&b <sup>", Dict(keys["EnvironmentVariables"])["SUP_HOME"].Value);
    }
}
