using CxrPacsAgent.Evaluation.Metrics;

namespace CxrPacsAgent.Evaluation.Tests.Metrics;

/// <summary>With patient ids the bootstrap resamples patients, each with all of their images.</summary>
public sealed class PatientBootstrapTests
{
    [Fact]
    public void Images_of_a_patient_stay_together()
    {
        var clusters = Bootstrap.Clusters(6, ["a", "b", "a", null, "b", "c"]);
        Assert.Equal([[0, 2], [1, 4], [3], [5]], clusters);
    }

    [Fact]
    public void Without_ids_every_image_is_its_own_unit()
    {
        Assert.Equal([[0], [1], [2]], Bootstrap.Clusters(3, null));
        Assert.Equal([[0], [1]], Bootstrap.Clusters(2, ["", ""]));
    }

    [Fact]
    public void Correlated_images_widen_the_interval()
    {
        // 40 patients, 5 identical images each: the information is that of 40 images, not 200.
        var r = new Random(9);
        var scores = new List<double>();
        var truth = new List<bool>();
        var patients = new List<string?>();
        for (var p = 0; p < 40; p++)
        {
            var t = p % 2 == 0;
            var s = Math.Clamp((t ? 0.6 : 0.4) + ((r.NextDouble() - 0.5) * 0.7), 0, 1);
            for (var k = 0; k < 5; k++)
            {
                scores.Add(s);
                truth.Add(t);
                patients.Add($"p{p}");
            }
        }
        var byImage = Bootstrap.Intervals(scores.ToArray(), truth.ToArray(), 0.5, null, 400, 3)["roc_auc"];
        var byPatient = Bootstrap.Intervals(scores.ToArray(), truth.ToArray(), 0.5, patients, 400, 3)["roc_auc"];
        Assert.True(byPatient.Upper - byPatient.Lower > 1.5 * (byImage.Upper - byImage.Lower),
            $"patient CI {byPatient.Lower:F3}–{byPatient.Upper:F3} vs image CI {byImage.Lower:F3}–{byImage.Upper:F3}");
    }

    [Fact]
    public void A_summary_bootstraps_by_patient_only_when_every_image_has_an_id()
    {
        var images = Enumerable.Range(0, 20).Select(i => new ScoredImage($"{i}", i % 2 == 0, i / 20.0, [0f]) { PatientId = i < 19 ? $"p{i / 2}" : null }).ToArray();
        Assert.False(EvaluationSummary.Compute(images, 0.5, 50).BootstrapByPatient);
        Assert.True(EvaluationSummary.Compute([.. images.Take(19)], 0.5, 50).BootstrapByPatient);
    }
}
