using System.Diagnostics;

namespace Supervisor.Tests.TestSupport;

/// <summary>
/// Moves one process tree's wall clock and nothing else: an LD_PRELOAD library, compiled here
/// with the C compiler the native build needs, adds the seconds in a file to every
/// CLOCK_REALTIME reading. CLOCK_MONOTONIC is left alone, so writing "3600" to the file looks to
/// the process exactly like waking from an hour's suspend (Linux stops the monotonic clock in a
/// suspend, not the wall clock). The daemon under test reads its clocks through libc's
/// clock_gettime in the JIT build and in the native one alike, so both can be made to "sleep".
/// </summary>
public static class WallClockShift
{
    private const string Source = """
        #define _GNU_SOURCE
        #include <dlfcn.h>
        #include <fcntl.h>
        #include <stdlib.h>
        #include <time.h>
        #include <unistd.h>

        /* No malloc and no stdio here: the runtime reads the clock on any thread, at any time. */
        static int (*real_clock_gettime)(clockid_t, struct timespec *);

        static long shift_seconds(void) {
            const char *file = getenv("SUP_TEST_WALL_CLOCK_SHIFT_FILE");
            if (!file) return 0;
            int fd = open(file, O_RDONLY | O_CLOEXEC);
            if (fd < 0) return 0;
            char text[32];
            ssize_t n = read(fd, text, sizeof text - 1);
            close(fd);
            if (n <= 0) return 0;
            text[n] = 0;
            return strtol(text, NULL, 10);
        }

        int clock_gettime(clockid_t id, struct timespec *ts) {
            if (!real_clock_gettime) real_clock_gettime = dlsym(RTLD_NEXT, "clock_gettime");
            int r = real_clock_gettime(id, ts);
            if (r == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE)) ts->tv_sec += shift_seconds();
            return r;
        }
        """;

    private static readonly Lazy<string> Library = new(Compile);

    /// <summary>
    /// The environment that shifts a process's wall clock by the seconds in <paramref name="shiftFile"/>
    /// (re-read at every reading, so writing it moves the clock of a running process).
    /// </summary>
    public static Dictionary<string, string> Environment(string shiftFile) => new()
    {
        ["LD_PRELOAD"] = Library.Value,
        ["SUP_TEST_WALL_CLOCK_SHIFT_FILE"] = shiftFile,
    };

    private static string Compile()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sup-wallclock-" + System.Environment.ProcessId);
        Directory.CreateDirectory(dir);
        var source = Path.Combine(dir, "wallclock.c");
        var library = Path.Combine(dir, "wallclock.so");
        File.WriteAllText(source, Source);
        var compiler = new[] { "cc", "clang", "gcc" }.FirstOrDefault(OnPath)
            ?? throw new InvalidOperationException("A C compiler (cc, clang or gcc) is needed to simulate a suspend: apt-get install clang (.ci/run does).");
        using var cc = Process.Start(new ProcessStartInfo(compiler, ["-shared", "-fPIC", "-O2", "-o", library, source, "-ldl"]) { RedirectStandardError = true })!;
        var errors = cc.StandardError.ReadToEnd();
        cc.WaitForExit();
        if (cc.ExitCode != 0) throw new InvalidOperationException($"{compiler} could not build the wall-clock shim: {errors}");
        return library;
    }

    private static bool OnPath(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));
}
