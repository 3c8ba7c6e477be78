using System.Text.RegularExpressions;

namespace Supervisor.Core.Daemon;

/// <summary>
/// What `sup describe` hides unless --show-secrets (the rule is stated in docs/ecosystem.md,
/// "Secrets in sup describe"):
/// <list type="bullet">
/// <item>A name is secret when it contains PASS, SECRET, TOKEN, CREDENTIAL, AUTH, PRIVATE or
/// APIKEY anywhere, or has KEY, PAT, PWD, PIN, SALT, COOKIE, DSN or SIGNATURE as a whole word
/// (words split at <c>_ - .</c> and lower-to-upper case changes): DB_PASS, GITHUB_PAT,
/// apiKey, but not PATH, KEYBOARD or PWD alone (the working folder).</item>
/// <item>An env variable with a secret name: the whole value.</item>
/// <item>Any value, argument or command line: the password of a URL's userinfo
/// (<c>postgres://u:******@h/db</c>).</item>
/// <item>Arguments: the value of a flag with a secret name, as <c>--password=******</c> or
/// <c>--token ******</c> (the next argument, unless it starts with '-'), and
/// <c>NAME=******</c> assignments with a secret name.</item>
/// </list>
/// Over-masking is cheap (--show-secrets shows all); a secret on screen or in a ticket is not.
/// </summary>
public static partial class SecretMask
{
    public const string Mask = "******";

    private static readonly string[] Anywhere = ["PASS", "SECRET", "TOKEN", "CREDENTIAL", "AUTH", "PRIVATE", "APIKEY"];
    private static readonly HashSet<string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        "KEY", "PAT", "PWD", "PIN", "SALT", "COOKIE", "DSN", "SIGNATURE",
    };

    // The working folder, not a password.
    private static readonly HashSet<string> NotSecret = new(StringComparer.OrdinalIgnoreCase) { "PWD", "OLDPWD" };

    public static bool IsSecretName(string name)
    {
        if (NotSecret.Contains(name))
        {
            return false;
        }

        foreach (var marker in Anywhere)
        {
            if (name.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (Match word in Word().Matches(name))
        {
            if (Words.Contains(word.Value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An env variable's value as describe shows it.</summary>
    public static string EnvValue(string name, string value) => IsSecretName(name) ? Mask : InText(value);

    /// <summary>
    /// A command line or a value (shell-quoted words, as describe prints them): URL passwords,
    /// secret flags' values and secret NAME=VALUE assignments masked.
    /// </summary>
    public static string InText(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = UrlPassword().Replace(text, m => m.Groups["pre"].Value + Mask + "@");
        text = FlagValue().Replace(text, m => IsSecretName(m.Groups["name"].Value)
            ? m.Groups["flag"].Value + m.Groups["sep"].Value + Mask
            : m.Value);
        return Assignment().Replace(text, m => IsSecretName(m.Groups["name"].Value)
            ? m.Groups["name"].Value + "=" + Mask
            : m.Value);
    }

    /// <summary>An argument list: each argument, and the one after a secret flag without '='.</summary>
    public static IReadOnlyList<string> InArguments(IReadOnlyList<string> args)
    {
        var masked = new string[args.Count];
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            masked[i] = InText(arg);
            if (i > 0 && IsBareSecretFlag(args[i - 1]) && !arg.StartsWith('-'))
            {
                masked[i] = Mask;
            }
        }

        return masked;
    }

    private static bool IsBareSecretFlag(string arg)
    {
        var match = BareFlag().Match(arg);
        return match.Success && IsSecretName(match.Groups["name"].Value);
    }

    // Words of a name: runs of letters/digits, split at _ - . and at a lower-to-upper change.
    [GeneratedRegex(@"[A-Z]?[a-z0-9]+|[A-Z0-9]+(?![a-z])")]
    private static partial Regex Word();

    // scheme://user:password@ — the password is everything between the first ':' after the user and '@'.
    [GeneratedRegex(@"(?<pre>\b[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s'""]*:)[^@/\s'""]+@")]
    private static partial Regex UrlPassword();

    // --name=value, --name value, -name value; the value is a quoted word or a word not starting with '-'.
    [GeneratedRegex(@"(?<flag>(?<![\w-])--?(?<name>[A-Za-z][A-Za-z0-9_.\-]*))(?<sep>=|\s+)(?<value>'(?:[^']|'\\'')*'|""[^""]*""|[^\s'""\-][^\s]*|(?<==)[^\s]*)")]
    private static partial Regex FlagValue();

    // NAME=value as in `env DB_PASS=x app`.
    [GeneratedRegex(@"(?<![\w\-])(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>'(?:[^']|'\\'')*'|""[^""]*""|[^\s]*)")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^--?(?<name>[A-Za-z][A-Za-z0-9_.\-]*)$")]
    private static partial Regex BareFlag();
}
