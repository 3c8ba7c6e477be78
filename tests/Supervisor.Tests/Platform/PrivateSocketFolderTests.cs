using System.Diagnostics;
using Supervisor.Core;
using Supervisor.Core.Platform;
using Supervisor.Core.Rpc;
using Xunit;

namespace Supervisor.Tests.Platform;

/// <summary>
/// The /tmp/sup-UID socket folder is used only when it is this user's and 0700: another user who
/// made it first (mode 777) could delete the daemon's socket (issue 14).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PrivateSocketFolderTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string _root = Directory.CreateDirectory(Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Folder => Path.Combine(_root, "sup-1000");

    [Fact]
    public void A_missing_folder_is_created_private()
    {
        SecureDirectory.RequirePrivate(Folder);

        Assert.Equal(Private, File.GetUnixFileMode(Folder));
    }

    [Fact]
    public void An_own_private_folder_is_used()
    {
        Directory.CreateDirectory(Folder, Private);

        SecureDirectory.RequirePrivate(Folder);
    }

    [Fact]
    public void A_world_writable_folder_is_refused_in_one_line()
    {
        Directory.CreateDirectory(Folder);
        File.SetUnixFileMode(Folder, (UnixFileMode)0x1FF);

        var error = Assert.Throws<SupException>(() => SecureDirectory.RequirePrivate(Folder));

        Assert.Equal($"Refusing the socket folder '{Folder}': its mode is 0777, but it must be yours (uid {Libc.GetEffectiveUid()}) with mode 0700, or another user could delete or replace the daemon's socket. Remove it, or set XDG_RUNTIME_DIR or a shorter SUP_HOME.", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_folder_another_user_made_is_refused_even_at_0700()
    {
        if (Libc.GetEffectiveUid() != 0) return; // chown needs root
        Directory.CreateDirectory(Folder, Private);
        using (var chown = Process.Start("chown", ["65534", Folder])) await chown.WaitForExitAsync();

        var error = Assert.Throws<SupException>(() => SecureDirectory.RequirePrivate(Folder));

        Assert.Contains("it belongs to uid 65534 (mode 0700), but it must be yours", error.Message);
    }

    [Fact]
    public void A_symlink_to_a_private_folder_is_refused()
    {
        var real = Directory.CreateDirectory(Path.Combine(_root, "real"), Private).FullName;
        Directory.CreateSymbolicLink(Folder, real);

        var error = Assert.Throws<SupException>(() => SecureDirectory.RequirePrivate(Folder));

        Assert.Contains("it is a symbolic link, not a folder", error.Message);
    }

    [Fact]
    public void The_socket_path_checks_the_temp_fallback_folder_but_not_a_runtime_dir()
    {
        string home = "/home/ann/" + new string('d', 100);
        var checkedFolders = new List<string>();

        RpcServer.ResolveSocketPath(home, null, () => 1234, out _, checkedFolders.Add);
        RpcServer.ResolveSocketPath(home, "/run/user/1234", () => 1234, out _, checkedFolders.Add);

        Assert.Equal([Path.Combine(Path.GetTempPath(), "sup-1234")], checkedFolders);
    }
}
