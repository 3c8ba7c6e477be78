using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Supervisor.Core.Platform;

/// <summary>An app started by <see cref="SessionSpawn"/>: its pid and the read ends of its stdout and stderr.</summary>
public sealed record SpawnedChild(int Pid, SafePipeHandle Stdout, SafePipeHandle Stderr);

/// <summary>
/// Starts an app on Linux as the leader of a new session and process group with posix_spawn and
/// POSIX_SPAWN_SETSID: one exec per start instead of two (Process.Start of setsid(1), which then
/// execs the app), measured at half the cost per spawn (docs/benchmarks.md).
/// </summary>
/// <remarks>
/// The child gets what Process.Start gives it: the daemon's environment with the app's variables
/// over it, the working directory, every signal at its default action and none blocked (the
/// runtime ignores SIGPIPE, and an ignored signal would survive exec), stdin from /dev/null (EOF,
/// as the closed stdin pipe gave), stdout and stderr on pipes. Every other descriptor of the
/// daemon is close-on-exec. The exit is learnt from a pidfd (<see cref="ChildReaper"/>).
/// </remarks>
[SupportedOSPlatform("linux")]
public static partial class SessionSpawn
{
    /// <exception cref="SupException">The program could not be started (the message is the OS's reason).</exception>
    public static unsafe SpawnedChild Start(string fileName, IReadOnlyList<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment)
    {
        int* stdout = stackalloc int[2];
        int* stderr = stackalloc int[2];
        stdout[0] = stdout[1] = stderr[0] = stderr[1] = -1;
        try
        {
            if (Libc.Pipe2(stdout, Libc.O_CLOEXEC) != 0 || Libc.Pipe2(stderr, Libc.O_CLOEXEC) != 0)
                throw Failed(fileName, Marshal.GetLastPInvokeError());

            var (outWrite, errWrite) = (stdout[1], stderr[1]);
            var pid = Spawn(fileName, arguments, environment, fileActions =>
            {
                Check(fileName, Libc.SpawnFileActionsAddOpen((void*)fileActions, 0, "/dev/null", Libc.O_RDONLY, 0));
                Check(fileName, Libc.SpawnFileActionsAddDup2((void*)fileActions, outWrite, 1));
                Check(fileName, Libc.SpawnFileActionsAddDup2((void*)fileActions, errWrite, 2));
                Check(fileName, Libc.SpawnFileActionsAddChdir((void*)fileActions, workingDirectory));
            });

            var child = new SpawnedChild(pid, new SafePipeHandle(stdout[0], ownsHandle: true), new SafePipeHandle(stderr[0], ownsHandle: true));
            stdout[0] = stderr[0] = -1; // owned by the handles now
            return child;
        }
        finally
        {
            // The child holds its own copies of the write ends; ours must go, or the pipes never end.
            foreach (var fd in new[] { stdout[0], stdout[1], stderr[0], stderr[1] })
                if (fd >= 0) Libc.Close(fd);
        }
    }

    /// <summary>
    /// Starts a detached background program, the daemon: a new session (no controlling terminal,
    /// so closing the terminal does not reach it), every signal at its default (a `sup start`
    /// run in the background of a script has SIGINT and SIGQUIT ignored, and the daemon must
    /// still stop gracefully on SIGINT), stdin from /dev/null, stdout and stderr appended to
    /// <paramref name="outputFile"/> (created 0600), in the caller's working directory, and no
    /// other descriptor of the caller, so `sup start | cat` ends when the CLI does. Returns the
    /// pid, a child of the caller, which may reap it with <see cref="ExitCodeIfExited"/>.
    /// </summary>
    /// <exception cref="SupException">The program could not be started (the message is the OS's reason).</exception>
    public static unsafe int StartDetached(string fileName, IReadOnlyList<string> arguments, string outputFile,
        IReadOnlyDictionary<string, string> environment) =>
        Spawn(fileName, arguments, environment, fileActions =>
        {
            Check(fileName, Libc.SpawnFileActionsAddOpen((void*)fileActions, 0, "/dev/null", Libc.O_RDONLY, 0));
            Check(fileName, Libc.SpawnFileActionsAddOpen((void*)fileActions, 1, outputFile, Libc.LinuxAppendFlags, 0b110_000_000));
            Check(fileName, Libc.SpawnFileActionsAddDup2((void*)fileActions, 1, 2));
            // Descriptors the caller inherited without close-on-exec (a CI runner's pipe, a
            // shell's `7>file`) would otherwise live as long as the daemon.
            if (CanCloseFrom.Value)
                Check(fileName, Libc.SpawnFileActionsAddCloseFrom((void*)fileActions, 3));
        });

    private static readonly Lazy<bool> CanCloseFrom = new(() => Libc.HasExport("posix_spawn_file_actions_addclosefrom_np"));

    /// <summary>The exit code of a child of this process that has ended (reaping it; 128 + N after signal N), or null while it runs.</summary>
    public static unsafe int? ExitCodeIfExited(int pid)
    {
        int status;
        return Libc.WaitPid(pid, &status, Libc.WNOHANG) == pid ? Libc.ExitCode(status) : null;
    }

    /// <summary>posix_spawn in a new session, every signal at its default and none blocked (see the remarks).</summary>
    private static unsafe int Spawn(string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment,
        Action<nint> addFileActions)
    {
        var program = Resolve(fileName);
        var argv = NullTerminated([program, .. arguments]);
        var envp = NullTerminated(Environment(environment));
        var path = Utf8(program);
        var fileActions = NativeMemory.AllocZeroed(Libc.SpawnStructBytes);
        var attributes = NativeMemory.AllocZeroed(Libc.SpawnStructBytes);
        var signals = NativeMemory.AllocZeroed(Libc.SpawnStructBytes);
        try
        {
            Check(fileName, Libc.SpawnFileActionsInit(fileActions));
            addFileActions((nint)fileActions);

            Check(fileName, Libc.SpawnAttrInit(attributes));
            Check(fileName, Libc.SpawnAttrSetFlags(attributes,
                Libc.POSIX_SPAWN_SETSID | Libc.POSIX_SPAWN_SETSIGDEF | Libc.POSIX_SPAWN_SETSIGMASK));
            Libc.SigFillSet(signals);
            Libc.SigDelSet(signals, Signals.SIGKILL);
            Libc.SigDelSet(signals, Signals.SIGSTOP);
            Check(fileName, Libc.SpawnAttrSetSigDefault(attributes, signals));
            Libc.SigEmptySet(signals);
            Check(fileName, Libc.SpawnAttrSetSigMask(attributes, signals));

            int pid;
            fixed (byte* p = path)
            fixed (byte** a = argv.Pointers)
            fixed (byte** e = envp.Pointers)
            {
                Check(fileName, Libc.PosixSpawn(&pid, p, fileActions, attributes, a, e));
            }
            return pid;
        }
        finally
        {
            Libc.SpawnFileActionsDestroy(fileActions);
            Libc.SpawnAttrDestroy(attributes);
            NativeMemory.Free(fileActions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(signals);
            argv.Dispose();
            envp.Dispose();
        }
    }

    /// <summary>
    /// Ends a child that cannot be supervised (no pidfd could be opened for it): SIGKILL to its
    /// group, reaped at once, its pipes closed.
    /// </summary>
    public static unsafe void Discard(SpawnedChild child)
    {
        Libc.Kill(-child.Pid, Signals.SIGKILL);
        int status;
        Libc.WaitPid(child.Pid, &status, 0);
        child.Stdout.Dispose();
        child.Stderr.Dispose();
    }

    /// <summary>
    /// As Process.Start finds it: a path with a slash from the daemon's current directory, a bare
    /// name on the daemon's PATH. Unfound, it is left as given and posix_spawn reports ENOENT.
    /// </summary>
    private static string Resolve(string fileName)
    {
        if (fileName.Contains('/')) return Path.GetFullPath(fileName);
        foreach (var dir in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, fileName);
            if (File.Exists(candidate)) return candidate;
        }
        return fileName;
    }

    private static List<string> Environment(IReadOnlyDictionary<string, string> overrides)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            merged[(string)entry.Key] = (string?)entry.Value ?? "";
        foreach (var (key, value) in overrides) merged[key] = value;
        return [.. merged.Select(kv => kv.Key + "=" + kv.Value)];
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text + "\0");

    private static unsafe NativeStrings NullTerminated(IReadOnlyList<string> items)
    {
        var pointers = new byte*[items.Count + 1];
        for (var i = 0; i < items.Count; i++)
            pointers[i] = (byte*)Marshal.StringToCoTaskMemUTF8(items[i]);
        return new NativeStrings(pointers);
    }

    private static void Check(string fileName, int result)
    {
        if (result != 0) throw Failed(fileName, result);
    }

    private static SupException Failed(string fileName, int errno) =>
        new(SupError.Io, $"Could not start '{fileName}': {Marshal.GetPInvokeErrorMessage(errno)}.");

    /// <summary>A NULL-terminated array of UTF-8 strings allocated for one spawn.</summary>
    private sealed unsafe class NativeStrings(byte*[] pointers) : IDisposable
    {
        public byte*[] Pointers { get; } = pointers;

        public void Dispose()
        {
            foreach (var p in Pointers)
                if (p != null) Marshal.FreeCoTaskMem((nint)p);
        }
    }
}
