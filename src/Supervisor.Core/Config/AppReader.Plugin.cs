using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Supervisor.Core.Config;

/// <summary>
/// Apps that use plugin commands (see <see cref="PluginCatalog"/>): <c>run: server</c> (a command
/// of this file's plugin) or <c>run: twitter:server</c>; steps naming <c>twitter:get</c>; and a
/// <c>group:</c> job, which becomes one job per plugin, each running the steps with that
/// plugin's commands on the group's schedule, with its own runs and history.
/// </summary>
internal sealed partial class AppReader
{
    private PluginCatalog Plugins => _options.Plugins;

    /// <summary>The plugin this app's own file declares, whose commands it may name bare.</summary>
    private Plugin? OwnPlugin => Plugins.OfFile(_sourceFile);

    /// <summary>An app that runs another plugin's command works in that plugin's folder unless it says cwd:.</summary>
    private string? ReadCwdOrPluginFolder()
    {
        if (!Has("cwd") && TryGet("run", out var node) && node is YamlScalarNode { Value: { } text }
            && PluginCatalog.Reference().Match(text.Trim()) is { Success: true } match
            && Plugins.Find(match.Groups["plugin"].Value) is { } plugin)
        {
            return plugin.Folder;
        }

        return ReadCwd();
    }

    /// <summary>`run: COMMAND` of this file's plugin, or `run: PLUGIN:COMMAND`: launched like command:.</summary>
    private LaunchParts? ReadRun(YamlNode node, IReadOnlyDictionary<string, string> env)
    {
        foreach (var key in new[] { "script", "command", "steps" }.Where(Has))
        {
            Problems.Error(KeyNode(key), $"run names a plugin command to run; give run or {key}, not both.");
            return null;
        }

        foreach (var key in new[] { "interpreter", "interpreter_args", "node_args" }.Where(Has))
        {
            Problems.Error(KeyNode(key), $"{key} applies to script only; with run, write the interpreter in the plugin's command.");
        }

        var text = _values.String("run", node)?.Trim();
        if (text is null || ResolveCommand("run", text, node, OwnPlugin) is not (Plugin plugin, string command))
        {
            return null;
        }

        var args = GetRef("args", _values.Words) ?? [];
        var line = plugin.Commands[command];
        var locator = new ProgramLocator(_options.BaseEnvironment, env);
        var launch = Launch.ForCommand(line, args, program => ResolveProgram(program, node, plugin.Folder, locator));
        return new LaunchParts(null, line, null, [], args, launch);
    }

    /// <summary>A step naming a plugin command becomes that command, run in its plugin's folder; any other step is a shell line.</summary>
    private string ResolveStep(string step, YamlNode node)
    {
        var text = step.Trim();
        if (Has("group"))
        {
            return text; // resolved per plugin by ExpandGroup
        }

        if (PluginCatalog.Reference().IsMatch(text))
        {
            return ResolveCommand("steps", text, node, OwnPlugin) is (Plugin plugin, string command) ? PluginCatalog.Step(plugin, command) : step;
        }

        return OwnPlugin is { } own && own.Commands.ContainsKey(text) ? PluginCatalog.Step(own, text) : step;
    }

    /// <summary>The plugins of a group: job, checked against its steps; null when it has none (or errors).</summary>
    private List<Plugin>? ReadGroup(JobSpec? job)
    {
        if (!TryGet("group", out var node) || job is null)
        {
            return null; // a service's group: is reported with the other job-only keys
        }

        var plugins = new List<Plugin>();
        foreach (var item in NodeValues.Items(node))
        {
            var name = _values.String("group", item)?.Trim();
            if (name is null) return null;
            if (Plugins.Find(name) is not { } plugin)
            {
                Problems.Error(item, $"group: there is no plugin named '{name}'{Known()}.{Hint(name, Plugins.Names)}");
                return null;
            }

            if (plugins.Contains(plugin))
            {
                Problems.Error(item, $"group: '{name}' is listed twice.");
                return null;
            }

            plugins.Add(plugin);
        }

        if (plugins.Count == 0)
        {
            Problems.Error(node, "group: list the plugins that share this schedule, such as [twitter, instagram].");
            return null;
        }

        if (job.Steps.Count == 0)
        {
            Problems.Error(KeyNode("group"), "group: give steps: the commands each plugin runs in order, such as [get, process, push].");
            return null;
        }

        if (Has("instances"))
        {
            Problems.Error(KeyNode("instances"), "instances cannot be combined with group: a group already runs one job per plugin.");
            return null;
        }

        var stepNodes = NodeValues.Items(_entries["steps"].Value);
        var ok = true;
        for (var i = 0; i < job.Steps.Count; i++)
        {
            var step = job.Steps[i];
            if (PluginCatalog.Reference().IsMatch(step))
            {
                ok &= ResolveCommand("steps", step, stepNodes[i], null) is not null;
                continue;
            }

            foreach (var plugin in plugins.Where(p => !p.Commands.ContainsKey(step)))
            {
                Problems.Error(stepNodes[i], $"steps: plugin '{plugin.Name}' (of group) has no command '{step}'; it has: {string.Join(", ", plugin.Commands.Keys)}.");
                ok = false;
            }
        }

        return ok ? plugins : null;
    }

    /// <summary>One job per plugin of the group, named NAME-PLUGIN, with SUP_PLUGIN in its env.</summary>
    private List<AppSpec> ExpandGroup(List<AppSpec> specs, List<Plugin>? group)
    {
        if (group is null)
        {
            return specs;
        }

        return [.. specs.SelectMany(spec => group.Select(plugin =>
        {
            var steps = spec.Job!.Steps.Select(step => PluginCatalog.Reference().Match(step) is { Success: true } match
                ? PluginCatalog.Step(Plugins.Find(match.Groups["plugin"].Value)!, match.Groups["command"].Value)
                : PluginCatalog.Step(plugin, step)).ToList();
            var launch = Launch.ForSteps(steps);
            return spec with
            {
                Name = $"{spec.Name}-{plugin.Name}",
                FileName = launch.FileName,
                Arguments = launch.Arguments,
                Job = spec.Job with { Steps = steps },
                Env = new Dictionary<string, string>(spec.Env, StringComparer.Ordinal) { ["SUP_PLUGIN"] = plugin.Name },
            };
        }))];
    }

    private (Plugin Plugin, string Command)? ResolveCommand(string key, string text, YamlNode node, Plugin? scope)
    {
        Plugin plugin;
        string command;
        if (PluginCatalog.Reference().Match(text) is { Success: true } match)
        {
            var name = match.Groups["plugin"].Value;
            command = match.Groups["command"].Value;
            if (Plugins.Find(name) is not { } found)
            {
                Problems.Error(node, $"{key}: '{text}' names the plugin '{name}', but there is none{Known()}; a plugin is a file with commands:, read through include:.{Hint(name, Plugins.Names)}");
                return null;
            }

            plugin = found;
        }
        else if (scope is not null)
        {
            plugin = scope;
            command = text;
        }
        else
        {
            Problems.Error(node, $"{key}: '{text}' is not a plugin command; write PLUGIN:COMMAND (such as twitter:server), or declare commands: in this file.");
            return null;
        }

        if (!plugin.Commands.ContainsKey(command))
        {
            Problems.Error(node, $"{key}: plugin '{plugin.Name}' has no command '{command}'; it has: {string.Join(", ", plugin.Commands.Keys)}.{Hint(command, plugin.Commands.Keys)}");
            return null;
        }

        return (plugin, command);
    }

    private string Known() => Plugins.Names.Count == 0
        ? " (no file of this load declares commands:)"
        : string.Create(CultureInfo.InvariantCulture, $" (the plugins are: {string.Join(", ", Plugins.Names.Order(StringComparer.Ordinal))})");

    private static string Hint(string name, IEnumerable<string> known) =>
        KeySuggester.Suggest(name, known) is { } close ? $" Did you mean '{close}'?" : "";
}
