using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Reports;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Worker.Results;

namespace CxrPacsAgent.Worker.Tests.Results;

/// <summary>The optional parts of a result, filled in as retrieval, the OOD check and calibration will give them.</summary>
internal static class Results
{
    /// <summary>Three earlier cases from other studies, with thumbnails from adult-cxr-samples.</summary>
    public static IReadOnlyList<SimilarCase> SimilarCases() =>
    [
        .. new[] { ("adult-cxr-01", 0.93, "PNEUMONIA"), ("adult-cxr-06", 0.88, "NORMAL"), ("adult-cxr-10", 0.84, "PNEUMONIA") }
            .Select((c, i) => new SimilarCase($"2.25.{100 + i}", $"2.25.{200 + i}", $"2.25.{300 + i}",
                DicomUids.DigitalXRayImageStorageForPresentation, c.Item2, c.Item3, "NIH ChestX-ray14 labels (text-mined)",
                ImageFile.LoadGray(Path.Combine(Cli.CliRunner.SharedData, "adult-cxr-samples", c.Item1 + ".png")))),
    ];

    /// <summary>Every optional part present; the image flagged out of distribution, so no call is made.</summary>
    public static CxrResult Full(CxrResult plain) => plain with
    {
        Call = null,
        CalibratedProbability = 0.71,
        OutOfDistribution = new OutOfDistribution(true, 3.25, 2.5),
        QualityFlags = [QualityFlag.LossySource],
        Heatmap = Blob(16),
        SimilarCases = SimilarCases(),
        Knn = new KnnOpinion(3, 2),
    };

    /// <summary>A smooth saliency blob, as the occlusion map gives one.</summary>
    public static GrayImage Blob(int size)
    {
        var map = new GrayImage(size, size);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var (dx, dy) = ((x / (double)size) - 0.65, (y / (double)size) - 0.6);
                map[x, y] = (float)Math.Exp(-((dx * dx) + (dy * dy)) / 0.03);
            }
        }
        return map;
    }

    public static IEnumerable<ContentItem> Items(DicomDataset sr) => ContentTreeReader.Read(sr).Descendants();

    public static T Single<T>(DicomDataset sr, CodedConcept name) where T : ContentItem =>
        Assert.Single(Items(sr).OfType<T>(), i => i.ConceptName == name);
}
