using Supervisor.Core.Daemon;
using Xunit;

namespace Supervisor.Tests.Daemon;

/// <summary>The documented rule of what `sup describe` hides (docs/ecosystem.md, issue 14).</summary>
public sealed class SecretMaskTests
{
    [Theory]
    [InlineData("DB_PASS")]
    [InlineData("DB_PASSWORD")]
    [InlineData("MYSQL_PWD")]
    [InlineData("GITHUB_PAT")]
    [InlineData("GITHUB_TOKEN")]
    [InlineData("AWS_SECRET_ACCESS_KEY")]
    [InlineData("API_KEY")]
    [InlineData("apiKey")]
    [InlineData("STRIPE_APIKEY")]
    [InlineData("OAUTH_CLIENT")]
    [InlineData("BASIC_AUTH")]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS")]
    [InlineData("SSH_PRIVATE")]
    [InlineData("SENTRY_DSN")]
    [InlineData("SESSION_COOKIE")]
    public void Secret_names_are_recognised(string name) => Assert.True(SecretMask.IsSecretName(name), name);

    [Theory]
    [InlineData("PATH")]
    [InlineData("PWD")]
    [InlineData("OLDPWD")]
    [InlineData("HOME")]
    [InlineData("KEYBOARD_LAYOUT")]
    [InlineData("LABEL")]
    [InlineData("DATABASE_URL")]
    [InlineData("PORT")]
    public void Ordinary_names_are_not(string name) => Assert.False(SecretMask.IsSecretName(name), name);

    [Fact]
    public void A_secret_variable_hides_its_whole_value()
    {
        Assert.Equal(SecretMask.Mask, SecretMask.EnvValue("DB_PASS", "hunter2"));
        Assert.Equal(SecretMask.Mask, SecretMask.EnvValue("GITHUB_PAT", "ghp_abc"));
        Assert.Equal("INBOX", SecretMask.EnvValue("LABEL", "INBOX"));
    }

    [Theory]
    [InlineData("postgres://u:secret@h/db", "postgres://u:******@h/db")]
    [InlineData("redis://:pw@localhost:6379/0", "redis://:******@localhost:6379/0")]
    [InlineData("https://user@example.com/x", "https://user@example.com/x")]
    [InlineData("https://example.com:8443/x", "https://example.com:8443/x")]
    public void A_url_shows_its_user_but_not_its_password(string value, string shown) =>
        Assert.Equal(shown, SecretMask.EnvValue("DATABASE_URL", value));

    [Theory]
    [InlineData(new[] { "--password=x", "--port", "80" }, new[] { "--password=******", "--port", "80" })]
    [InlineData(new[] { "--token", "abc", "--verbose" }, new[] { "--token", "******", "--verbose" })]
    [InlineData(new[] { "-api-key", "abc" }, new[] { "-api-key", "******" })]
    [InlineData(new[] { "--token", "--verbose" }, new[] { "--token", "--verbose" })]
    [InlineData(new[] { "--db", "postgres://u:secret@h/db" }, new[] { "--db", "postgres://u:******@h/db" })]
    [InlineData(new[] { "DB_PASS=x", "./run" }, new[] { "DB_PASS=******", "./run" })]
    [InlineData(new[] { "--label", "two words" }, new[] { "--label", "two words" })]
    public void Flag_values_of_secret_flags_are_hidden(string[] args, string[] shown) =>
        Assert.Equal(shown, SecretMask.InArguments(args));

    [Theory]
    [InlineData("./app --token abc --port 80", "./app --token ****** --port 80")]
    [InlineData("./app --password='two words' -v", "./app --password=****** -v")]
    [InlineData("env DB_PASS=x ./app", "env DB_PASS=****** ./app")]
    [InlineData("psql postgres://u:secret@h/db", "psql postgres://u:******@h/db")]
    [InlineData("./app --port 80", "./app --port 80")]
    public void A_command_line_is_masked_the_same_way(string command, string shown) =>
        Assert.Equal(shown, SecretMask.InText(command));
}
