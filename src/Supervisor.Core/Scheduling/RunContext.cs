using System.Globalization;
using System.Text.RegularExpressions;
using Supervisor.Core.Supervision;

namespace Supervisor.Core.Scheduling;

/// <summary>
/// Who a job run is, as the run itself sees it: SUP_RUN_ID, SUP_TRIGGER, SUP_SCHEDULED_AT and
/// SUP_ATTEMPT in its environment, and <c>${NAME}</c> of those in its args and env values
/// (docs/jobs.md, "Run context"). One run keeps its id over its retries; the attempt counts them.
/// </summary>
/// <param name="RunId"><c>JOB-yyyyMMdd-HHmmss</c> (local start time), with <c>-2</c>, <c>-3</c> ... for more runs in one second.</param>
/// <param name="Trigger">cron, every, file, manual, missed, reset; retry from the second attempt on.</param>
/// <param name="ScheduledAt">The due time the run is for (cron/every/missed), or when it was asked for.</param>
/// <param name="Attempt">1 for the first attempt of the run.</param>
public sealed partial record RunContext(string RunId, string Trigger, DateTimeOffset ScheduledAt, int Attempt)
{
    public const string RunIdVariable = "SUP_RUN_ID";
    public const string TriggerVariable = "SUP_TRIGGER";
    public const string ScheduledAtVariable = "SUP_SCHEDULED_AT";
    public const string AttemptVariable = "SUP_ATTEMPT";
    /// <summary>A step's number in its job (1 for the first), in each step's environment.</summary>
    public const string StepVariable = "SUP_STEP";

    /// <summary>The context of attempt <paramref name="attempt"/> of this run (trigger "retry" after the first).</summary>
    public RunContext ForAttempt(int attempt) =>
        this with { Attempt = attempt, Trigger = attempt > 1 ? "retry" : Trigger };

    /// <summary>
    /// The run a process belongs to, read back from its environment (a step adopted from a daemon
    /// that died); null when the variables are not all there or not in the form sup writes them.
    /// </summary>
    public static RunContext? FromVariables(IReadOnlyDictionary<string, string> variables) =>
        variables.TryGetValue(RunIdVariable, out var id) && id.Length > 0
        && variables.TryGetValue(TriggerVariable, out var trigger) && trigger.Length > 0
        && variables.TryGetValue(ScheduledAtVariable, out var at)
        && DateTimeOffset.TryParseExact(at, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var scheduledAt)
        && variables.TryGetValue(AttemptVariable, out var attemptText)
        && int.TryParse(attemptText, NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) && attempt >= 1
            ? new RunContext(id, trigger, scheduledAt, attempt)
            : null;

    /// <summary>ISO 8601 with the offset, to the second: 2026-12-03T09:00:00+01:00.</summary>
    public string ScheduledAtText => ScheduledAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public IReadOnlyDictionary<string, string> Variables => new Dictionary<string, string>
    {
        [RunIdVariable] = RunId,
        [TriggerVariable] = Trigger,
        [ScheduledAtVariable] = ScheduledAtText,
        [AttemptVariable] = Attempt.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The command with the run's variables in its environment, and <c>${SUP_RUN_ID}</c> (etc.) in
    /// its arguments and env values replaced. Other <c>${...}</c> stay as written: a step's shell
    /// still expands them, and sup does not guess at variables it does not own.
    /// </summary>
    public ChildCommand ApplyTo(ChildCommand command, bool substituteArguments)
    {
        var variables = Variables;
        var env = new Dictionary<string, string>(command.Environment.Count + variables.Count);
        foreach (var (key, value) in command.Environment) env[key] = Substitute(value, variables);
        foreach (var (key, value) in variables) env[key] = value;
        var args = substituteArguments ? command.Arguments.Select(a => Substitute(a, variables)).ToList() : command.Arguments;
        return command with { Environment = env, Arguments = args };
    }

    /// <summary>The line written to the app's out log when an attempt starts, so `sup logs` shows which run printed what.</summary>
    public string LogHeader => $"--- sup run {RunId} ({Trigger}, attempt {Attempt.ToString(CultureInfo.InvariantCulture)}, scheduled {ScheduledAtText}) ---";

    public static string Substitute(string text, IReadOnlyDictionary<string, string> variables) =>
        !text.Contains("${", StringComparison.Ordinal) ? text
            : Placeholder().Replace(text, m => variables.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    [GeneratedRegex(@"\$\{(SUP_[A-Z_]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
