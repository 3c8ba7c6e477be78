using System.CommandLine;
using Supervisor.Core;
using Supervisor.Core.Config;
using Supervisor.Core.Export;

namespace Supervisor.Cli.Commands;

/// <summary>
/// `sup export systemd|kubernetes FILE [--env P] [--only A,B] [-o DIR] [--image IMAGE]` and
/// `sup export --check FILE`: the engine's own files from an ecosystem file. Needs no daemon.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "systemd or kubernetes (with --check: the ecosystem file)." };
        var file = new Argument<string?>("file") { Description = "The ecosystem file.", Arity = ArgumentArity.ZeroOrOne };
        var env = new Option<string>("--env") { Description = "Use env_PROFILE of each app." };
        var only = new Option<string>("--only") { Description = "Comma-separated app names to export." };
        var output = new Option<string>("--output", "-o") { Description = "Write one file per unit or document into DIR instead of stdout." };
        var image = new Option<string>("--image") { Description = "Container image holding the apps (kubernetes: required unless every app has image:)." };
        var check = new Option<bool>("--check") { Description = "Print, per app and key, what maps exactly, what is approximated, what has none." };
        var command = new Command("export", "Export an ecosystem as systemd units or Kubernetes documents.") { target, file, env, only, output, image, check };
        command.SetAction(parse =>
        {
            var first = parse.GetValue(target)!;
            var path = parse.GetValue(file);
            var options = new LoadOptions { EnvProfile = parse.GetValue(env), Only = parse.GetValue(only) };
            if (parse.GetValue(check))
            {
                var checkFile = path ?? first;
                foreach (var line in ExportCheck.Lines(EcosystemLoader.Load(checkFile, options).Apps)) Console.WriteLine(line);
                return ExitCodes.Ok;
            }
            if (path is null)
                throw new SupException(SupError.BadArgument, "Give the ecosystem file: sup export systemd|kubernetes FILE.");
            var result = first switch
            {
                "systemd" => SystemdExporter.Export(EcosystemLoader.Load(path, options).Apps, path),
                "kubernetes" => KubernetesExporter.Export(EcosystemLoader.Load(path, options).Apps, path, parse.GetValue(image)),
                _ => throw new SupException(SupError.BadArgument, $"Unknown export target '{first}'; use systemd or kubernetes."),
            };
            foreach (var note in result.Notes) Console.Error.WriteLine("sup export: " + note);
            Write(result, parse.GetValue(output), first == "kubernetes");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(ExportResult result, string? directory, bool yaml)
    {
        if (directory is null)
        {
            var separator = yaml ? "---" : "";
            for (var i = 0; i < result.Documents.Count; i++)
            {
                var doc = result.Documents[i];
                if (yaml) Console.WriteLine(separator);
                else Console.WriteLine($"# ===== {doc.FileName} =====");
                Console.Write(doc.Text);
                if (!yaml && i < result.Documents.Count - 1) Console.WriteLine();
            }
            return;
        }
        Directory.CreateDirectory(directory);
        foreach (var doc in result.Documents)
        {
            File.WriteAllText(Path.Combine(directory, doc.FileName), doc.Text);
            Console.WriteLine(Path.Combine(directory, doc.FileName));
        }
    }
}
