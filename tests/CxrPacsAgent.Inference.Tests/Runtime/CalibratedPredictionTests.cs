using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Inference.Tests.Runtime;

/// <summary>
/// A calibrated package reports σ(slope·logit(raw) + intercept) as its score and calls at its threshold on that; a
/// package with OOD statistics adds the Mahalanobis distance of the embedding and makes no call beyond its threshold.
/// </summary>
public sealed class CalibratedPredictionTests
{
    [Fact]
    public void Score_is_the_platt_scaled_raw_output_and_the_call_uses_it()
    {
        var calibration = new CalibrationSpec { Method = "platt", Slope = 0.5, Intercept = -0.4 };
        var folder = TestPackages.Create(TestPackages.Manifest("model.onnx") with { Calibration = calibration, Threshold = 0.45 });
        using var model = CxrModel.Load(folder, new InferenceOptions(), NullLogger.Instance);
        var input = TestPackages.RandomInput(6, seed: 3);
        var predictions = model.Predict(input, 6);
        for (var i = 0; i < 6; i++)
        {
            var (raw, _) = TestPackages.Expected(input.AsSpan(i * TestPackages.Features, TestPackages.Features));
            var logit = Math.Log(raw / (1 - raw));
            var expected = 1 / (1 + Math.Exp(-((0.5 * logit) - 0.4)));
            Assert.Equal(raw, predictions[i].RawScore, 5);
            Assert.Equal(expected, predictions[i].Score, 5);
            Assert.Equal(expected >= 0.45, predictions[i].Positive);
            Assert.Null(predictions[i].Ood);
            Assert.Equal(predictions[i].Positive, predictions[i].Call);
        }
    }

    [Fact]
    public void Uncalibrated_package_reports_the_raw_score()
    {
        using var model = CxrModel.Load(TestPackages.Create(), new InferenceOptions(), NullLogger.Instance);
        var p = model.Predict(TestPackages.RandomInput(1, seed: 4), 1)[0];
        Assert.Equal(p.RawScore, p.Score);
    }

    [Fact]
    public void Ood_distance_is_the_mahalanobis_distance_and_a_far_image_gets_no_call()
    {
        // Mean μ and a diagonal precision diag(1, 4, 1, 0.25): distance² = Σ pⱼ (eⱼ − μⱼ)².
        float[] mean = [0.1f, 0.2f, 0.0f, 0.3f];
        float[] precision = [1, 0, 0, 0, 0, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0.25f];
        var input = TestPackages.RandomInput(8, seed: 11);
        var expected = new double[8];
        for (var i = 0; i < 8; i++)
        {
            var (_, e) = TestPackages.Expected(input.AsSpan(i * TestPackages.Features, TestPackages.Features));
            expected[i] = Math.Sqrt(Enumerable.Range(0, 4).Sum(j => precision[(j * 4) + j] * Math.Pow(e[j] - mean[j], 2)));
        }
        // A threshold between the distances, so both sides are exercised.
        var threshold = expected.Order().ElementAt(4) - 1e-6;
        var m = TestPackages.Manifest("model.onnx") with
        {
            Ood = new OodSpec { Method = "mahalanobis", Features = OodFeatures.Embedding, File = "ood.npy", Threshold = threshold },
        };
        var folder = TestPackages.Create(m, f =>
        {
            TestPackages.Full().Save(Path.Combine(f, "model.onnx"));
            TestPackages.WriteNpy(Path.Combine(f, "ood.npy"), [.. mean, .. precision], 5, 4);
        });
        using var model = CxrModel.Load(folder, new InferenceOptions(), NullLogger.Instance);
        var predictions = model.Predict(input, 8);
        for (var i = 0; i < 8; i++)
        {
            var p = predictions[i];
            Assert.NotNull(p.Ood);
            Assert.Equal(expected[i], p.Ood!.Distance, 4);
            Assert.Equal(expected[i] > threshold, p.OutOfDistribution);
            Assert.Equal(p.OutOfDistribution ? null : p.Positive, p.Call);
        }
        Assert.Equal(4, predictions.Count(p => p.OutOfDistribution));
    }

    [Fact]
    public void Knn_distance_is_one_minus_the_cosine_similarity_to_the_kth_nearest_training_image()
    {
        // Four stored training embeddings (unit length) and k = 2.
        float[][] training = [[1, 0, 0, 0], [0, 1, 0, 0], [0.6f, 0.8f, 0, 0], [0, 0, 0, 1]];
        var input = TestPackages.RandomInput(6, seed: 12);
        var expected = new double[6];
        for (var i = 0; i < 6; i++)
        {
            var (_, e) = TestPackages.Expected(input.AsSpan(i * TestPackages.Features, TestPackages.Features));
            var norm = Math.Sqrt(e.Sum(v => (double)v * v));
            var similarities = training.Select(t => t.Zip(e, (a, b) => (double)a * b).Sum() / norm).OrderDescending().ToArray();
            expected[i] = 1 - similarities[1];
        }
        var threshold = expected.Order().ElementAt(2) - 1e-6;
        var m = TestPackages.Manifest("model.onnx") with
        {
            Ood = new OodSpec { Method = "knn", K = 2, Features = OodFeatures.Embedding, File = "ood.npy", Threshold = threshold },
        };
        var folder = TestPackages.Create(m, f =>
        {
            TestPackages.Full().Save(Path.Combine(f, "model.onnx"));
            TestPackages.WriteNpy(Path.Combine(f, "ood.npy"), [.. training.SelectMany(t => t)], 4, 4);
        });
        using var model = CxrModel.Load(folder, new InferenceOptions(), NullLogger.Instance);
        var predictions = model.Predict(input, 6);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(expected[i], predictions[i].Ood!.Distance, 5);
        }
        Assert.Equal(4, predictions.Count(p => p.OutOfDistribution));
    }
}
