using System.CommandLine;

namespace Supervisor.Cli.Commands;

/// <summary>
/// `sup completion bash|zsh|fish|pwsh`: a script that makes TAB complete sup's commands, options
/// and app names. Each script calls back `sup complete --position N "LINE"`.
/// </summary>
public static class CompletionCommand
{
    public static readonly string[] Shells = ["bash", "zsh", "fish", "pwsh"];

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh, fish or pwsh." };
        shell.AcceptOnlyFromAmong(Shells);
        var command = new Command("completion",
            "Print a shell completion script. bash: add `source <(sup completion bash)` to ~/.bashrc; "
            + "zsh: `source <(sup completion zsh)` in ~/.zshrc; fish: `sup completion fish > ~/.config/fish/completions/sup.fish`; "
            + "pwsh: `sup completion pwsh | Out-String | Invoke-Expression` in $PROFILE.") { shell };
        command.SetAction(parse =>
        {
            Console.Write(Script(parse.GetValue(shell)!));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Script(string shell) => shell switch
    {
        "bash" => """
            # sup completion for bash. Load it with: source <(sup completion bash)
            _sup_complete() {
                local IFS=$'\n'
                COMPREPLY=($("${COMP_WORDS[0]}" complete --position "$COMP_POINT" "$COMP_LINE" 2>/dev/null))
            }
            complete -F _sup_complete -o default sup

            """,
        "zsh" => """
            # sup completion for zsh. Load it with: source <(sup completion zsh)
            _sup_complete() {
                local line="${(j: :)words[1,CURRENT]}"
                local -a completions
                completions=("${(@f)$("${words[1]}" complete --position "${#line}" "$line" 2>/dev/null)}")
                if (( ${#completions} )); then compadd -a completions; else _files; fi
            }
            compdef _sup_complete sup

            """,
        "fish" => """
            # sup completion for fish. Install it with: sup completion fish > ~/.config/fish/completions/sup.fish
            function __sup_complete
                set -l line (commandline -cp)
                sup complete --position (string length -- "$line") "$line" 2>/dev/null
            end
            complete -c sup -a '(__sup_complete)'

            """,
        "pwsh" => """
            # sup completion for PowerShell. Load it with: sup completion pwsh | Out-String | Invoke-Expression
            Register-ArgumentCompleter -Native -CommandName sup -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                $line = $commandAst.ToString()
                $position = $cursorPosition - $commandAst.Extent.StartOffset
                if ($position -gt $line.Length) { $line = $line.PadRight($position) }
                sup complete --position $position "$line" 2>$null | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }

            """,
        _ => throw new Core.SupException(Core.SupError.BadArgument, $"No completion script for '{shell}'; use bash, zsh, fish or pwsh."),
    };
}
