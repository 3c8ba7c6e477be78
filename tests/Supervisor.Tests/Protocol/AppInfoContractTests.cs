using System.Text.Json;
using Xunit;
using Supervisor.Core.Protocol;

namespace Supervisor.Tests.Protocol;

/// <summary>docs/rpc.md documents the `sup ls --json` fields; the code and the page must agree.</summary>
public sealed class AppInfoContractTests
{
    private static string RpcDoc()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Supervisor.sln"))) folder = folder.Parent;
        Assert.NotNull(folder);
        return File.ReadAllText(Path.Combine(folder.FullName, "docs", "rpc.md"));
    }

    private static IEnumerable<string> DocumentedFields()
    {
        var doc = RpcDoc();
        var section = doc[doc.IndexOf("## The `list` result", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        return section.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line[3..line.IndexOf('`', 3)]);
    }

    [Fact]
    public void Every_field_ls_json_prints_is_documented_and_nothing_else()
    {
        var json = JsonSerializer.SerializeToElement(new AppInfo { Name = "a", Kind = "service", Status = "online" }, ProtocolJson.Default.AppInfo);

        var printed = json.EnumerateObject().Select(p => p.Name);

        Assert.Equal(printed.Order(), DocumentedFields().Order());
    }

    [Fact]
    public void Absent_values_are_printed_as_null_not_left_out()
    {
        var json = JsonSerializer.SerializeToElement(new AppInfo { Name = "a", Kind = "job", Status = "scheduled" }, ProtocolJson.Default.AppInfo);

        Assert.Equal(JsonValueKind.Null, json.GetProperty("pid").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("next_run").ValueKind);
    }
}
