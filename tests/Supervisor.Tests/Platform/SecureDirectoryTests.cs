using System.Runtime.Versioning;
using Supervisor.Core;
using Supervisor.Core.Platform;
using Xunit;

namespace Supervisor.Tests.Platform;

[UnsupportedOSPlatform("windows")]
public sealed class SecureDirectoryTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string folder = Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void New_directory_and_missing_parents_are_created_owner_only()
    {
        var path = Path.Combine(folder, "home");

        SecureDirectory.Create(path);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Existing_open_directory_is_tightened_and_keeps_its_content()
    {
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute | UnixFileMode.OtherWrite);
        File.WriteAllText(Path.Combine(folder, "keep"), "x");

        SecureDirectory.Create(folder);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(folder));
        Assert.True(File.Exists(Path.Combine(folder, "keep")));
    }

    [Fact]
    public void File_in_the_way_is_a_clear_error()
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "taken");
        File.WriteAllText(path, "x");

        var error = Assert.Throws<SupException>(() => SecureDirectory.Create(path));

        Assert.Equal(SupError.Io, error.Error);
        Assert.Contains(path, error.Message);
    }
}
