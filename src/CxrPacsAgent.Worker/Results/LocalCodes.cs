using CxrPacsAgent.Dicom.Reports;

namespace CxrPacsAgent.Worker.Results;

/// <summary>
/// Concepts PS3.16 has no code for, in this product's private coding scheme (PS3.16 8: designators starting "99"),
/// identified in each SR's Coding Scheme Identification Sequence. Listed with their meanings in docs/results.md.
/// </summary>
public static class LocalCodes
{
    public const string Designator = "99CXRAGENT";

    public static readonly CodingScheme Scheme = new(Designator, "CxrPacsAgent result concepts", "CxrPacsAgent");

    public static readonly CodedConcept IntendedUse = new("INTENDED-USE", Designator, "Intended use");
    public static readonly CodedConcept Limitation = new("LIMITATION", Designator, "Result limitation");
    public static readonly CodedConcept CalibratedProbability = new("CALIBRATED-P", Designator, "Calibrated probability");
    public static readonly CodedConcept OutOfDistributionDistance = new("OOD-DISTANCE", Designator, "Out-of-distribution distance");
    public static readonly CodedConcept SimilarCase = new("SIMILAR-CASE", Designator, "Similar earlier case");
    public static readonly CodedConcept Similarity = new("SIMILARITY", Designator, "Similarity");
    public static readonly CodedConcept CaseLabel = new("CASE-LABEL", Designator, "Case label");
    public static readonly CodedConcept LabelSource = new("LABEL-SOURCE", Designator, "Label source");

    /// <summary>Stands for the finding of a package whose model.json names none: its positive label.</summary>
    public static CodedConcept UnnamedFinding(string positiveLabel)
    {
        var value = new string([.. positiveLabel.ToUpperInvariant().Where(char.IsAsciiLetterOrDigit).Take(16)]);
        return new CodedConcept(value.Length == 0 ? "FINDING" : value, Designator, positiveLabel.Length == 0 ? "Finding" : positiveLabel);
    }
}
