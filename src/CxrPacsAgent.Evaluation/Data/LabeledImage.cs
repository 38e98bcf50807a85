namespace CxrPacsAgent.Evaluation.Data;

/// <summary>One row of a labels CSV: the image file, its ground truth (null when unlabeled), the patient and any other columns.</summary>
public sealed record LabeledImage(string Path, string RelativePath, string? Label, string? PatientId, IReadOnlyDictionary<string, string> Columns);
