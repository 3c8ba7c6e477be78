using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace Supervisor.Core.Config.Js;

/// <summary>
/// The few Node built-ins that PM2 ecosystem files use (`path`, `os`, `fs`, `dotenv`), written
/// over Jint's own values: no CLR interop, so nothing reflective reaches the native build.
/// </summary>
/// <remarks>
/// Each is a small faithful subset of Node's: what real ecosystem files call. A file that needs
/// more gets a JavaScript error naming what is missing, at its line.
/// </remarks>
internal sealed class NodeModules(Engine engine, ObjectInstance processEnv, string fileFolder)
{
    /// <summary>Files that fs and dotenv read from a config are small; this bounds a mistaken one.</summary>
    private const long MaxReadBytes = EcosystemLimits.MaxFileBytes;

    private readonly Dictionary<string, JsValue> _cache = new(StringComparer.Ordinal);

    public static readonly IReadOnlyCollection<string> Names = ["path", "os", "fs", "dotenv"];

    /// <summary>The module named <paramref name="name"/> (with or without `node:`), or null when sup has none of that name.</summary>
    public JsValue? Get(string name)
    {
        name = name.StartsWith("node:", StringComparison.Ordinal) ? name[5..] : name;
        if (_cache.TryGetValue(name, out var cached)) return cached;
        JsValue? module = name switch
        {
            "path" or "path/posix" => Path(),
            "os" => Os(),
            "fs" => Fs(),
            "dotenv" => Dotenv(),
            _ => null,
        };
        if (module is not null) _cache[name] = module;
        return module;
    }

    private ObjectInstance Path()
    {
        var path = new JsObject(engine);
        Function(path, "join", args => NodePath.Join(Strings(args, "path.join")));
        Function(path, "resolve", args => NodePath.Resolve(fileFolder, Strings(args, "path.resolve")));
        Function(path, "normalize", args => NodePath.Normalize(String(args, 0, "path.normalize")));
        Function(path, "dirname", args => NodePath.Dirname(String(args, 0, "path.dirname")));
        Function(path, "basename", args => NodePath.Basename(String(args, 0, "path.basename"), args.Length > 1 && args[1].IsString() ? args[1].AsString() : null));
        Function(path, "extname", args => NodePath.Extname(String(args, 0, "path.extname")));
        Function(path, "isAbsolute", args => String(args, 0, "path.isAbsolute").StartsWith('/'));
        Function(path, "relative", args => NodePath.Relative(fileFolder, String(args, 0, "path.relative"), String(args, 1, "path.relative")));
        path.Set("sep", "/");
        path.Set("delimiter", ":");
        path.Set("posix", path);
        return path;
    }

    private ObjectInstance Os()
    {
        var os = new JsObject(engine);
        Function(os, "cpus", _ =>
        {
            // Files use os.cpus().length for instances; each entry is a placeholder CPU.
            var cpus = new JsValue[Environment.ProcessorCount];
            for (var i = 0; i < cpus.Length; i++)
            {
                var cpu = new JsObject(engine);
                cpu.Set("model", "");
                cpu.Set("speed", 0);
                cpus[i] = cpu;
            }
            return new JsArray(engine, cpus);
        });
        Function(os, "availableParallelism", _ => Environment.ProcessorCount);
        Function(os, "homedir", _ => EnvOr("HOME", Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)));
        Function(os, "tmpdir", _ => EnvOr("TMPDIR", "/tmp").TrimEnd('/') is { Length: > 0 } t ? t : "/");
        Function(os, "hostname", _ => Environment.MachineName);
        Function(os, "platform", _ => OperatingSystem.IsMacOS() ? "darwin" : "linux");
        Function(os, "type", _ => OperatingSystem.IsMacOS() ? "Darwin" : "Linux");
        Function(os, "arch", _ => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.X86 => "ia32",
            _ => "x64",
        });
        Function(os, "totalmem", _ => (double)GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        os.Set("EOL", "\n");
        return os;
    }

    private ObjectInstance Fs()
    {
        var fs = new JsObject(engine);
        Function(fs, "existsSync", args => args.Length > 0 && args[0].IsString() && Exists(Full(args[0].AsString())));
        Function(fs, "readFileSync", args =>
        {
            var file = Full(String(args, 0, "fs.readFileSync"));
            return ReadText(file, "fs.readFileSync");
        });
        Function(fs, "readdirSync", args =>
        {
            var folder = Full(String(args, 0, "fs.readdirSync"));
            if (!Directory.Exists(folder)) throw Error($"ENOENT: no such file or directory, scandir '{folder}'");
            var names = Directory.EnumerateFileSystemEntries(folder).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)
                .Select(n => (JsValue)new JsString(n!)).ToArray();
            return new JsArray(engine, names);
        });
        return fs;
    }

    /// <summary>`require('dotenv').config()`: KEY=VALUE lines into process.env, existing variables kept, as dotenv does.</summary>
    private ObjectInstance Dotenv()
    {
        var dotenv = new JsObject(engine);
        Function(dotenv, "config", args =>
        {
            var file = System.IO.Path.Combine(fileFolder, ".env");
            if (args.Length > 0 && args[0] is ObjectInstance options && options.Get("path") is { } given && given.IsString())
            {
                file = Full(given.AsString());
            }

            var result = new JsObject(engine);
            if (!File.Exists(file))
            {
                result.Set("error", engine.Intrinsics.Error.Construct($"ENOENT: no such file or directory, open '{file}'"));
                return result;
            }

            var parsed = new JsObject(engine);
            foreach (var (key, value) in DotenvFile.Parse(ReadText(file, "dotenv.config")))
            {
                parsed.Set(key, value);
                if (!processEnv.HasOwnProperty(key)) processEnv.Set(key, value);
            }
            result.Set("parsed", parsed);
            return result;
        });
        return dotenv;
    }

    private string Full(string path) => System.IO.Path.GetFullPath(path, fileFolder);

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    private string ReadText(string file, string caller)
    {
        try
        {
            return Platform.GuardedFile.ReadAllText(file, MaxReadBytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Error($"ENOENT: no such file or directory, open '{file}'");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error($"{caller}: {e.Message}");
        }
    }

    private string EnvOr(string name, string fallback) =>
        processEnv.Get(name) is { } value && value.IsString() && value.AsString().Length > 0 ? value.AsString() : fallback;

    private void Function(ObjectInstance target, string name, Func<JsValue[], JsValue> body) =>
        target.Set(name, new ClrFunction(engine, name, (_, args) => body(args)));

    private string[] Strings(JsValue[] args, string caller)
    {
        var result = new string[args.Length];
        for (var i = 0; i < args.Length; i++) result[i] = String(args, i, caller);
        return result;
    }

    private string String(JsValue[] args, int index, string caller) =>
        index < args.Length && args[index].IsString()
            ? args[index].AsString()
            : throw Error($"{caller}: argument {index + 1} must be a string, not {(index < args.Length ? args[index].Type.ToString().ToLowerInvariant() : "missing")}");

    private JavaScriptException Error(string message) => new(engine.Intrinsics.TypeError, message);
}
