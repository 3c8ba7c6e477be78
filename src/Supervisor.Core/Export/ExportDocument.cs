namespace Supervisor.Core.Export;

/// <summary>One generated file: its name (a unit name, or NAME.yaml) and its text.</summary>
public sealed record ExportDocument(string FileName, string Text);

/// <summary>
/// What an export produced: the documents, and one line per thing that was approximated or
/// left out (never dropped silently: the CLI prints these on stderr).
/// </summary>
public sealed record ExportResult(IReadOnlyList<ExportDocument> Documents, IReadOnlyList<string> Notes);
