using System.Diagnostics;
using Xunit;

namespace Supervisor.Tests.TestSupport;

public class TestAppTests
{
    [Fact]
    public async Task Testapp_runs_from_the_test_output_and_echoes_its_arguments()
    {
        var (fileName, args) = TestApp.Command("echo-args", "a", "b");
        var info = new ProcessStartInfo(fileName, args) { RedirectStandardOutput = true, RedirectStandardError = true };

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("a\nb\n", output);
    }
}
