using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Evaluation.Scoring;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Evaluation.Tests.Scoring;

/// <summary>Labelled rows go through the service's path: scored, or skipped by the view filter, or refused as unreadable — each with its reason.</summary>
public sealed class LabelledSetScorerTests
{
    [Fact]
    public void Scores_frontal_films_and_says_why_the_others_were_not()
    {
        var folder = Repository.TempFolder("scorer");
        var kermany = File.ReadLines(Path.Combine(Repository.Kermany, "labels.csv")).Skip(1).Take(2).Select(l => l.Split(',')[0]).ToArray();
        var truncated = Path.Combine(folder, "cut.jpeg");
        var bytes = File.ReadAllBytes(Path.Combine(Repository.Kermany, kermany[0]));
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 3)]);
        var spine = Path.Combine(Repository.SharedData, "dicom-samples", "other_cr", "pydicom_dicomdirtests_CR1_6154_16x16.dcm");
        File.WriteAllLines(Path.Combine(folder, "labels.csv"),
            ["path,label,patient_id", .. kermany.Select(k => $"{Path.Combine(Repository.Kermany, k)},NORMAL,p"), $"{spine},NORMAL,s", $"{truncated},PNEUMONIA,t"]);
        using var model = CxrModel.Load(TestPackages.Create(), new InferenceOptions { IntraOpThreads = 1 }, NullLogger.Instance);

        var rows = LabelledSetScorer.Score(model, LabelsCsv.Read(Path.Combine(folder, "labels.csv")), lungsMaskedAudit: true, keepFeatures: true);
        Directory.Delete(folder, recursive: true);

        Assert.Equal(4, rows.Count);
        Assert.All(rows.Take(2), r =>
        {
            Assert.True(r.Scored);
            Assert.NotNull(r.Masked);
            Assert.Equal(TestPackages.Features, r.Features!.Length);   // a single graph: its input is the feature vector
        });
        Assert.Equal(("NotChest", false), (rows[2].SkipReason, rows[2].Scored));
        Assert.Equal("Unreadable", rows[3].SkipReason);
        Assert.Contains("truncated", rows[3].SkipMessage, StringComparison.Ordinal);
    }
}
