using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Inference.Runtime;

/// <summary>
/// The package's out-of-distribution test: how far an image's features lie from the training images', against the
/// package's threshold. Two distances (<see cref="OodSpec"/>): the k-th nearest training image by cosine distance
/// (<c>knn</c>), or the Mahalanobis distance from the training mean (<c>mahalanobis</c>).
/// </summary>
public sealed class OodDetector
{
    private readonly Func<ReadOnlySpan<float>, double> distance;

    private OodDetector(Func<ReadOnlySpan<float>, double> distance, int dimension, double threshold, OodFeatures features)
    {
        this.distance = distance;
        Dimension = dimension;
        Threshold = threshold;
        Features = features;
    }

    public int Dimension { get; }

    public double Threshold { get; }

    public OodFeatures Features { get; }

    /// <summary>Mahalanobis distance √((x − μ)ᵀ P (x − μ)) from the mean μ under the precision matrix P (row-major, D×D).</summary>
    public static OodDetector Mahalanobis(double[] mean, double[] precision, double threshold, OodFeatures features)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(precision);
        if (precision.Length != mean.Length * mean.Length)
        {
            throw new ArgumentException($"a {mean.Length}-d mean needs a {mean.Length}×{mean.Length} precision matrix", nameof(precision));
        }
        var d = mean.Length;
        return new OodDetector(x =>
        {
            var centred = new double[d];
            for (var i = 0; i < d; i++)
            {
                centred[i] = x[i] - mean[i];
            }
            double sum = 0;
            for (var i = 0; i < d; i++)
            {
                var row = precision.AsSpan(i * d, d);
                double dot = 0;
                for (var j = 0; j < d; j++)
                {
                    dot += row[j] * centred[j];
                }
                sum += centred[i] * dot;
            }
            return Math.Sqrt(Math.Max(0, sum));
        }, d, threshold, features);
    }

    /// <summary>
    /// 1 − the cosine similarity to the <paramref name="k"/>-th most similar of the training images, whose L2-normalised
    /// features are the rows of <paramref name="normalisedTraining"/> (N×D, row-major).
    /// </summary>
    public static OodDetector NearestNeighbour(float[] normalisedTraining, int dimension, int k, double threshold, OodFeatures features)
    {
        ArgumentNullException.ThrowIfNull(normalisedTraining);
        var n = normalisedTraining.Length / dimension;
        if (k < 1 || k > n)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and the {n} training images");
        }
        return new OodDetector(x =>
        {
            double norm = 0;
            foreach (var v in x)
            {
                norm += (double)v * v;
            }
            norm = Math.Sqrt(norm);
            var similarities = new double[n];
            for (var i = 0; i < n; i++)
            {
                similarities[i] = System.Numerics.Tensors.TensorPrimitives.Dot(normalisedTraining.AsSpan(i * dimension, dimension), x) / (norm == 0 ? 1 : norm);
            }
            // The k-th largest similarity: sort descending is plenty fast for a few thousand training images.
            Array.Sort(similarities);
            return 1 - similarities[n - k];
        }, dimension, threshold, features);
    }

    /// <summary>Reads the package's statistics file and checks its shape against the features the model produces.</summary>
    public static OodDetector Load(ModelPackage package, int featureSize)
    {
        ArgumentNullException.ThrowIfNull(package);
        var spec = package.Manifest.Ood ?? throw new ArgumentException("the package has no OOD statistics", nameof(package));
        var path = package.OodStatisticsPath!;
        var file = Path.GetFileName(path);
        (float[] Values, int Rows, int Columns) m;
        try
        {
            m = NpyMatrix.Read(path);
        }
        catch (InvalidDataException e)
        {
            throw new ModelPackageException(ModelPackageError.OodInvalid, package.Folder, file, "ood.file", e.Message, e);
        }
        var knn = spec.Method == "knn";
        if (m.Columns != featureSize || (knn ? m.Rows < spec.K : m.Rows != featureSize + 1))
        {
            var expected = knn ? $"[N ≥ {spec.K}, {featureSize}]" : $"[{featureSize + 1}, {featureSize}]";
            throw new ModelPackageException(ModelPackageError.OodInvalid, package.Folder, file, "ood.features",
                $"holds [{m.Rows}, {m.Columns}] but the model's {spec.Features.ToString().ToLowerInvariant()} features are {featureSize}-d (expected {expected})");
        }
        if (knn)
        {
            return NearestNeighbour(m.Values, featureSize, spec.K, spec.Threshold, spec.Features);
        }
        var mean = m.Values.AsSpan(0, featureSize).ToArray().Select(v => (double)v).ToArray();
        var precision = m.Values.AsSpan(featureSize).ToArray().Select(v => (double)v).ToArray();
        return Mahalanobis(mean, precision, spec.Threshold, spec.Features);
    }

    public OodMeasure Measure(ReadOnlySpan<float> features)
    {
        if (features.Length != Dimension)
        {
            throw new ArgumentException($"expected {Dimension} features, got {features.Length}", nameof(features));
        }
        return new OodMeasure(distance(features), Threshold);
    }
}
