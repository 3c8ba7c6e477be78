using Supervisor.Core;
using Supervisor.Core.Config;
using Xunit;

namespace Supervisor.Tests.Config;

/// <summary>PM2's process.json with comments: it loads, and problems keep the line and column as written.</summary>
public sealed class JsonCommentsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sup-jsonc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_process_json_with_line_and_block_comments_loads_as_pm2_reads_it()
    {
        Write("app.sh", "#!/bin/sh\nexec sleep 300\n");
        var file = Write("process.json", """
            {
              // the API, restarted by PM2
              "apps": [{
                "name": "api", /* the public one */
                "script": "./app.sh",
                "args": ["--url", "http://example.test/a//b", "/* kept */"],
                "env": { "NOTE": "a \" quote // and slashes" }
              }]
            }
            """);

        var app = Assert.Single(EcosystemLoader.Load(file, new LoadOptions()).Apps);

        Assert.Equal("api", app.Name);
        Assert.Equal(["--url", "http://example.test/a//b", "/* kept */"], app.Arguments.TakeLast(3));
        Assert.Equal("a \" quote // and slashes", app.Env["NOTE"]);
    }

    [Fact]
    public void A_problem_after_a_comment_is_reported_at_its_line_and_column_as_written()
    {
        var file = Write("process.json", "{\n  /* one\n     two */ \"apps\": [{\n    \"name\": \"x\", \"script\": \"/bin/true\",\n    // a note\n    \"min_uptim\": \"5s\"\n  }]\n}\n");

        var error = Assert.Throws<SupException>(() => EcosystemLoader.Load(file, new LoadOptions()));

        Assert.Contains(error.Details, d => d.StartsWith($"{file}:6:5:", StringComparison.Ordinal) && d.Contains("min_uptime", StringComparison.Ordinal));
    }

    [Fact]
    public void Comment_markers_inside_strings_and_yaml_files_are_left_alone()
    {
        const string text = "{\"a\": \"x // y /* z */\"}";
        Assert.Equal(text, JsonComments.Blank(text));
        Assert.False(JsonComments.IsJson("ecosystem.yaml"));
        Assert.Equal("{  \n \"a\": 1}", JsonComments.Blank("{//\n \"a\": 1}"));
    }
}
