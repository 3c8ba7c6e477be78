namespace Supervisor.Tests.TestSupport;

/// <summary>Runs tests/Supervisor.TestApp, which the test build copies next to the tests.</summary>
public static class TestApp
{
    /// <summary>testapp.dll in the test output folder.</summary>
    public static string Path
    {
        get
        {
            var path = System.IO.Path.Combine(AppContext.BaseDirectory, "testapp.dll");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"testapp.dll is not next to the tests ({AppContext.BaseDirectory}). Build tests/Supervisor.Tests, which copies it.", path);
        }
    }

    /// <summary>The dotnet host running the tests; `dotnet` from PATH when it cannot be told.</summary>
    public static string DotnetHost
    {
        get
        {
            if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
            {
                return hostPath;
            }

            return Environment.ProcessPath is { } self && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet"
                ? self
                : "dotnet";
        }
    }

    /// <summary>The command line for `testapp VERB ARGS...`.</summary>
    public static (string FileName, string[] Args) Command(params string[] verbArgs) =>
        (DotnetHost, [Path, .. verbArgs]);
}
