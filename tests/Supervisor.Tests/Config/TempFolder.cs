using Xunit;
using Supervisor.Core;
using Supervisor.Core.Config;

namespace Supervisor.Tests.Config;

/// <summary>A short-lived folder holding an ecosystem file and the scripts it names.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine("/tmp", "sup-t-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
        foreach (var interpreter in (string[])["sh", "python3", "node", "pwsh", "ruby", "perl"])
        {
            Write($".bin/{interpreter}");
        }

        Environment = new Dictionary<string, string>
        {
            ["PATH"] = Combine(".bin") + System.IO.Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH"),
            ["HOME"] = Path,
        };
    }

    public string Path { get; }

    /// <summary>
    /// What apps are loaded for: stand-ins for every interpreter come first on PATH, so tests do not
    /// depend on what this machine has installed.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public string EcosystemFile => Combine("ecosystem.yaml");

    public string Combine(string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relative));

    /// <summary>Writes a file (creating folders); scripts are made executable.</summary>
    public string Write(string relative, string content = "#!/bin/sh\nexit 0\n", bool executable = true)
    {
        var file = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        if (executable && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, File.GetUnixFileMode(file) | UnixFileMode.UserExecute);
        }

        return file;
    }

    public string Folder(string relative) => Directory.CreateDirectory(Combine(relative)).FullName;

    public Ecosystem Load(string yaml, LoadOptions? options = null) =>
        EcosystemLoader.Parse(yaml, EcosystemFile, (options ?? new LoadOptions()) with
        {
            BaseEnvironment = options?.BaseEnvironment ?? Environment,
        });

    /// <summary>The problems of an invalid file, as the user sees them, without the file name.</summary>
    public IReadOnlyList<string> Problems(string yaml, LoadOptions? options = null)
    {
        var error = Assert.Throws<SupException>(() => Load(yaml, options));
        Assert.Equal(SupError.InvalidConfig, error.Error);
        Assert.All(error.Details, line => Assert.StartsWith(EcosystemFile + ":", line));
        return [.. error.Details.Select(line => line[(EcosystemFile.Length + 1)..])];
    }

    /// <summary>
    /// Writes <paramref name="yaml"/> as the folder's ecosystem.yaml and loads it from disk, as
    /// `sup start` does: what it includes is read from beside it.
    /// </summary>
    public Ecosystem LoadFile(string yaml)
    {
        Write("ecosystem.yaml", yaml, executable: false);
        return EcosystemLoader.Load(EcosystemFile, new LoadOptions { BaseEnvironment = Environment });
    }

    /// <summary>The problems of <see cref="LoadFile"/>, each line as the user sees it (with its file).</summary>
    public IReadOnlyList<string> FileProblems(string yaml)
    {
        Write("ecosystem.yaml", yaml, executable: false);
        var error = Assert.Throws<SupException>(() => EcosystemLoader.Load(EcosystemFile, new LoadOptions { BaseEnvironment = Environment }));
        Assert.Equal(SupError.InvalidConfig, error.Error);
        return error.Details;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
