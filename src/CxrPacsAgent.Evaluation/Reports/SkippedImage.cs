namespace CxrPacsAgent.Evaluation.Reports;

/// <summary>A labelled image the service's path did not score: the view filter's reason or the image error, and the message.</summary>
public sealed record SkippedImage(string Path, string? Label, string Reason, string Message, IReadOnlyDictionary<string, string> Columns);
