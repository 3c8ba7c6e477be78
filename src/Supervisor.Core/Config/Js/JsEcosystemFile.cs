using Acornima;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace Supervisor.Core.Config.Js;

/// <summary>
/// Runs a PM2 `ecosystem.config.js` (`.cjs`, `.mjs`) in process, with no node, and gives what it
/// exports as JSON text for the usual reader: `module.exports`, `export default`, `require` of
/// path/os/fs/dotenv and of relative .js/.json files, `process.env`, `__dirname`, functions, spreads.
/// </summary>
/// <remarks>
/// The file runs in the daemon (that is where files are read, also on `watch_config`), so it runs
/// bounded like any hostile input (issue 14): time, statements, memory, recursion, array size and
/// the size of what it exports. `process.env` is the environment apps start in; a variable an app's
/// env copies from it unchanged is dropped, since the app inherits it anyway: so `{...process.env}`
/// does not write the whole environment into `sup save`'s dump.
/// </remarks>
internal static class JsEcosystemFile
{
    private const int MaxRequireDepth = 16;

    public static bool IsJavaScript(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".js" or ".cjs" or ".mjs";

    /// <exception cref="JsConfigException">The file does not parse, throws, runs too long or too big, or exports no object.</exception>
    public static JsExport Evaluate(string fullPath, string source, IReadOnlyDictionary<string, string> environment)
    {
        try
        {
            return Run(fullPath, source, environment);
        }
        catch (JsConfigException e) when (e.Problem.File.Length == 0)
        {
            throw new JsConfigException(fullPath, e.Problem.Line, e.Problem.Column, e.Message, e.InnerException);
        }
    }

    private static JsExport Run(string fullPath, string source, IReadOnlyDictionary<string, string> environment)
    {
        using var engine = new Engine(options =>
        {
            options.Strict = false;
            options.LimitRecursion(256)
                .TimeoutInterval(TimeSpan.FromSeconds(2))
                .MaxStatements(10_000_000)
                .LimitMemory(256L * 1024 * 1024)
                .MaxArraySize(100_000)
                .RegexTimeoutInterval(TimeSpan.FromSeconds(1))
                .Culture(System.Globalization.CultureInfo.InvariantCulture);
        });

        var folder = Path.GetDirectoryName(fullPath)!;
        var processEnv = new JsObject(engine);
        foreach (var (name, value) in environment) processEnv.Set(name, value);
        var modules = new NodeModules(engine, processEnv, folder);
        var loader = new CommonJsLoader(engine, modules);
        engine.SetValue("process", Process(engine, processEnv, fullPath, folder));

        try
        {
            var exported = IsModule(fullPath, source)
                ? RunModule(engine, modules, fullPath, source)
                : loader.Run(fullPath, source, depth: 0);
            if (exported is not ObjectInstance root || exported is Jint.Native.Function.Function)
            {
                throw new JsConfigException(fullPath, 1, 1,
                    $"The file exports {Describe(exported)}; an ecosystem file exports an object: module.exports = {{ apps: [ ... ] }}.");
            }

            var names = DropInheritedEnv(root, environment);
            var json = new JsonSerializer(engine).Serialize(root, JsValue.Undefined, new JsString("  ")).AsString();
            if (json.Length > EcosystemLimits.MaxFileBytes)
            {
                throw new JsConfigException(fullPath, 1, 1,
                    $"What the file exports is {json.Length} characters as JSON; an ecosystem may be at most {EcosystemLimits.MaxFileBytes} (1 MiB).");
            }

            return new JsExport(json, names);
        }
        catch (JavaScriptException e)
        {
            var at = e.Location.Start;
            var file = FileOf(e.Location.SourceFile, fullPath);
            // A SyntaxError's message ends with its own "(file:line:col)"; the problem says where already.
            var message = System.Text.RegularExpressions.Regex.Replace(e.Message, @" \([^()]*:\d+:\d+\)$", "");
            throw new JsConfigException(file, at.Line, loader.Column(file, at.Line, at.Column + 1), message, e);
        }
        catch (ParseErrorException e)
        {
            var file = FileOf(e.SourceFile, fullPath);
            throw new JsConfigException(file, e.LineNumber, loader.Column(file, e.LineNumber, e.Column),
                "This is not valid JavaScript: " + e.Description, e);
        }
        catch (TimeoutException e)
        {
            throw new JsConfigException(fullPath, 1, 1, "The file ran for more than 2 seconds; an ecosystem file must finish at once (an endless loop?).", e);
        }
        catch (StatementsCountOverflowException e)
        {
            throw new JsConfigException(fullPath, 1, 1, "The file ran more than 10,000,000 statements; an ecosystem file must finish at once (an endless loop?).", e);
        }
        catch (MemoryLimitExceededException e)
        {
            throw new JsConfigException(fullPath, 1, 1, "The file used more than 256 MiB while running; an ecosystem file is a few objects.", e);
        }
        catch (RecursionDepthOverflowException e)
        {
            throw new JsConfigException(fullPath, 1, 1, "The file recursed more than 256 calls deep.", e);
        }
        catch (JintException e)
        {
            throw new JsConfigException(fullPath, 1, 1, e.Message, e);
        }
    }

    /// <summary>ES module syntax: `.mjs`, or a top-level `export`/`import` in a `.js` (as Node with "type": "module").</summary>
    private static bool IsModule(string fullPath, string source) =>
        fullPath.EndsWith(".mjs", StringComparison.OrdinalIgnoreCase)
        || System.Text.RegularExpressions.Regex.IsMatch(source, @"^\s*(export\s+default\b|export\s*\{|import\s+[\w{*])", System.Text.RegularExpressions.RegexOptions.Multiline);

    private static JsValue RunModule(Engine engine, NodeModules modules, string fullPath, string source)
    {
        foreach (var name in NodeModules.Names)
        {
            var module = modules.Get(name)!;
            Action<Jint.Runtime.Modules.ModuleBuilder> build = b =>
            {
                b.ExportValue("default", module);
                if (module is ObjectInstance members)
                {
                    foreach (var key in members.GetOwnPropertyKeys())
                    {
                        if (key.IsString()) b.ExportValue(key.AsString(), members.Get(key));
                    }
                }
            };
            engine.Modules.Add(name, build);
            engine.Modules.Add("node:" + name, build);
        }

        engine.Modules.Add(fullPath, source);
        var ns = engine.Modules.Import(fullPath);
        return ns.Get("default");
    }

    private static ObjectInstance Process(Engine engine, ObjectInstance env, string fullPath, string folder)
    {
        var process = new JsObject(engine);
        process.Set("env", env);
        process.Set("platform", OperatingSystem.IsMacOS() ? "darwin" : "linux");
        process.Set("argv", new JsArray(engine, [new JsString("node"), new JsString(fullPath)]));
        process.Set("pid", Environment.ProcessId);
        var versions = new JsObject(engine);
        versions.Set("node", "");
        process.Set("versions", versions);
        // The file's folder: where sup resolves the file's relative paths (PM2: the shell's folder).
        process.Set("cwd", new ClrFunction(engine, "cwd", (_, _) => folder));
        return process;
    }

    /// <summary>
    /// Drops from each app's env (and env_PROFILE) what it copied unchanged from process.env, and
    /// returns the app names (by index) for problem messages.
    /// </summary>
    private static IReadOnlyList<string?> DropInheritedEnv(ObjectInstance root, IReadOnlyDictionary<string, string> environment)
    {
        if (root.Get("apps") is not JsArray apps) return [];
        var names = new List<string?>();
        for (uint i = 0; i < apps.Length; i++)
        {
            var app = apps.Get(i) as ObjectInstance;
            names.Add(app?.Get("name") is { } name && name.IsString() ? name.AsString() : null);
            if (app is null) continue;
            foreach (var key in app.GetOwnPropertyKeys())
            {
                if (!key.IsString() || !key.AsString().StartsWith("env", StringComparison.Ordinal)) continue;
                if (app.Get(key) is not ObjectInstance env || env is JsArray) continue;
                foreach (var variable in env.GetOwnPropertyKeys())
                {
                    if (variable.IsString()
                        && environment.TryGetValue(variable.AsString(), out var inherited)
                        && env.Get(variable) is { } value && value.IsString() && value.AsString() == inherited)
                    {
                        env.Delete(variable);
                    }
                }
            }
        }
        return names;
    }

    private static string FileOf(string? source, string fallback) =>
        string.IsNullOrEmpty(source) ? fallback : source;

    private static string Describe(JsValue value) => value switch
    {
        _ when value.IsUndefined() => "nothing (undefined)",
        _ when value.IsNull() => "null",
        Jint.Native.Function.Function => "a function",
        _ => "a " + value.Type.ToString().ToLowerInvariant(),
    };

    /// <summary>Node's CommonJS: each file in its own function scope with exports, require, module, __filename, __dirname.</summary>
    private sealed class CommonJsLoader(Engine engine, NodeModules modules)
    {
        private const string Prologue = "(function (exports, require, module, __filename, __dirname) {";
        private readonly Dictionary<string, JsValue> _loaded = new(StringComparer.Ordinal);

        /// <summary>A column as the user wrote it: line 1 of a wrapped file starts after the prologue.</summary>
        public int Column(string file, int line, int column) =>
            line == 1 && _loaded.ContainsKey(file) ? Math.Max(1, column - Prologue.Length) : column;

        public JsValue Run(string fullPath, string source, int depth)
        {
            var module = new JsObject(engine);
            var exports = new JsObject(engine);
            module.Set("exports", exports);
            module.Set("filename", fullPath);
            // A file required while it loads sees its exports so far, as in Node.
            _loaded[fullPath] = exports;

            var folder = Path.GetDirectoryName(fullPath)!;
            var require = new ClrFunction(engine, "require", (_, args) => Require(args, folder, depth));
            // One line, so the file's line numbers stay as written; a shebang line becomes a comment.
            var body = source.StartsWith("#!", StringComparison.Ordinal) ? "//" + source : source;
            var wrapper = engine.Evaluate(Prologue + body + "\n})", fullPath);
            wrapper.Call(exports, require, module, new JsString(fullPath), new JsString(folder));
            var result = module.Get("exports");
            _loaded[fullPath] = result;
            return result;
        }

        private JsValue Require(JsValue[] args, string folder, int depth)
        {
            if (args.Length == 0 || !args[0].IsString()) throw AtCaller("require needs a module name (a string).");
            var name = args[0].AsString();
            if (modules.Get(name) is { } builtIn) return builtIn;
            if (!name.StartsWith('.') && !name.StartsWith('/'))
            {
                throw AtCaller($"Cannot find module '{name}': sup runs ecosystem files without node and provides {string.Join(", ", NodeModules.Names)} and relative .js/.json files.");
            }

            var file = ResolveFile(Path.GetFullPath(name, folder))
                ?? throw AtCaller($"Cannot find module '{name}' (looked for {Path.GetFullPath(name, folder)}).");
            if (_loaded.TryGetValue(file, out var loaded)) return loaded;
            if (depth >= MaxRequireDepth) throw AtCaller($"require is nested more than {MaxRequireDepth} files deep.");

            string text;
            try
            {
                text = Platform.GuardedFile.ReadAllText(file, EcosystemLimits.MaxFileBytes);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // GuardedFile's messages are whole sentences naming the file (a FIFO, too big, unreadable).
                throw AtCaller($"Cannot read module '{name}': {e.Message}");
            }
            if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                var parsed = new JsonParser(engine).Parse(text);
                _loaded[file] = parsed;
                return parsed;
            }
            return Run(file, text, depth + 1);
        }

        /// <summary>An error at the line that called require, found in the script's call stack ("at ... file:line:col").</summary>
        private JsConfigException AtCaller(string message)
        {
            var at = System.Text.RegularExpressions.Regex.Match(engine.Advanced.StackTrace, @"(?<file>/[^\s():]+):(?<line>\d+):(?<column>\d+)");
            if (!at.Success) return new JsConfigException("", 1, 1, message);
            var file = at.Groups["file"].Value;
            var line = int.Parse(at.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var column = int.Parse(at.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture) + 1;
            return new JsConfigException(file, line, Column(file, line, column), message);
        }

        private static string? ResolveFile(string path)
        {
            foreach (var candidate in (string[])[path, path + ".js", path + ".cjs", path + ".json", Path.Combine(path, "index.js")])
            {
                if (File.Exists(candidate)) return candidate;
            }
            return null;
        }
    }
}

/// <summary>What a JS ecosystem file exported, as indented JSON, and the app names by index of apps.</summary>
internal sealed record JsExport(string Json, IReadOnlyList<string?> AppNames);

/// <summary>A JS ecosystem file that cannot be run, at the JS line and column.</summary>
internal sealed class JsConfigException(string file, int line, int column, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ConfigProblem Problem { get; } = new(file, Math.Max(1, line), Math.Max(1, column), message);
}
