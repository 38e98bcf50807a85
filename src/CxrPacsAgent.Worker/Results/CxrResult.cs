using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Imaging;

namespace CxrPacsAgent.Worker.Results;

/// <summary>
/// One result, as whoever has it (the classify verb, the service pipeline) hands it over to become an SR and an SC.
/// Everything after <see cref="DisplayImage"/> is optional: retrieval, the OOD check, calibration and the heatmap may
/// each be absent.
/// </summary>
public sealed record CxrResult
{
    /// <summary>The source instance's data set (header; pixel data is not needed): patient, study and UIDs come from it.</summary>
    public required DicomDataset Source { get; init; }

    public required ModelIdentity Model { get; init; }

    /// <summary>The model's score in [0,1] (an ensemble's mean).</summary>
    public required double Score { get; init; }

    /// <summary>The package threshold the call was made at.</summary>
    public required double Threshold { get; init; }

    /// <summary>True: finding present; false: absent; null: no call (e.g. outside the training distribution).</summary>
    public required bool? Call { get; init; }

    /// <summary>The film as shown, displayed brightness in [0,1] (VOI applied, MONOCHROME1 inverted, borders cropped).</summary>
    public required GrayImage DisplayImage { get; init; }

    /// <summary>Lung probability over the field of <see cref="DisplayImage"/> (any resolution).</summary>
    public GrayImage? LungMap { get; init; }

    /// <summary>Where the score comes from, in [0,1], over the field of <see cref="DisplayImage"/> (any resolution).</summary>
    public GrayImage? Heatmap { get; init; }

    /// <summary>The score calibrated to a probability, when the package is calibrated.</summary>
    public double? CalibratedProbability { get; init; }

    public OutOfDistribution? OutOfDistribution { get; init; }

    public IReadOnlyList<QualityFlag> QualityFlags { get; init; } = [];

    /// <summary>Most similar earlier cases, most similar first.</summary>
    public IReadOnlyList<SimilarCase> SimilarCases { get; init; } = [];

    public KnnOpinion? Knn { get; init; }

    /// <summary>When the result was made (Content Date/Time); the clock's now when null.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Source SOP Instance UID, the key of every derived UID.</summary>
    public string SourceSopInstanceUid => Source.GetString(DicomTags.SOPInstanceUID)?.Trim()
        ?? throw new ArgumentException("the source has no SOP Instance UID (0008,0018)");

    /// <summary>Checks the ranges a caller could get wrong, naming the value.</summary>
    public CxrResult Validate()
    {
        foreach (var (name, value) in new[] { ("score", (double?)Score), ("threshold", Threshold), ("calibrated probability", CalibratedProbability) })
        {
            if (value is { } v && !(v >= 0 && v <= 1))
            {
                throw new ArgumentException($"the {name} {v} is outside [0,1]");
            }
        }
        Knn?.Validate();
        if (SimilarCases.Any(c => !double.IsFinite(c.Similarity)))
        {
            throw new ArgumentException("a similar case has no finite similarity");
        }
        return this;
    }
}
