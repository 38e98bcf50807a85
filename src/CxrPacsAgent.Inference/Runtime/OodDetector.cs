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
        CheckK(normalisedTraining, dimension, k);
        return new OodDetector(x => KthNearestDistance(normalisedTraining, dimension, k, x), dimension, threshold, features);
    }

    /// <summary>
    /// The k-th nearest training distance <c>d</c> (as <see cref="NearestNeighbour"/>) tested together with a contrast
    /// population, a known other one the package must flag: the image is flagged when <c>d</c> exceeds
    /// <paramref name="threshold"/> (far from everything the package knows) or when <c>d</c> divided by its k-th nearest
    /// contrast distance exceeds <paramref name="ratioThreshold"/> (nearer the contrast population than the training
    /// images). The distance reported is the larger of the two tests' values, each divided by its threshold, so the
    /// detector's threshold is 1.
    /// </summary>
    public static OodDetector NearestNeighbourWithContrast(float[] normalisedTraining, float[] normalisedContrast, int dimension, int k,
        double threshold, double ratioThreshold, OodFeatures features)
    {
        ArgumentNullException.ThrowIfNull(normalisedTraining);
        ArgumentNullException.ThrowIfNull(normalisedContrast);
        CheckK(normalisedTraining, dimension, k);
        CheckK(normalisedContrast, dimension, k);
        return new OodDetector(x =>
        {
            var inside = KthNearestDistance(normalisedTraining, dimension, k, x);
            var contrast = KthNearestDistance(normalisedContrast, dimension, k, x);
            return Math.Max(inside / threshold, ContrastRatio(inside, contrast) / ratioThreshold);
        }, dimension, 1, features);
    }

    /// <summary>Contrast distances below this count as this (float16 features can put a near-copy at distance 0 or just below).</summary>
    public const double ContrastFloor = 1e-6;

    /// <summary>
    /// The training distance over the contrast distance, the latter floored at <see cref="ContrastFloor"/> so the ratio
    /// stays finite (and its threshold writable): an image on top of a contrast image gets a very large one.
    /// </summary>
    public static double ContrastRatio(double inside, double contrast) => inside / Math.Max(contrast, ContrastFloor);

    /// <summary>1 − the cosine similarity of <paramref name="x"/> to the k-th most similar row of <paramref name="normalised"/> (N×D).</summary>
    public static double KthNearestDistance(float[] normalised, int dimension, int k, ReadOnlySpan<float> x)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        var n = normalised.Length / dimension;
        double norm = 0;
        foreach (var v in x)
        {
            norm += (double)v * v;
        }
        norm = Math.Sqrt(norm);
        var similarities = new double[n];
        for (var i = 0; i < n; i++)
        {
            similarities[i] = System.Numerics.Tensors.TensorPrimitives.Dot(normalised.AsSpan(i * dimension, dimension), x) / (norm == 0 ? 1 : norm);
        }
        // The k-th largest similarity: sort descending is plenty fast for a few thousand training images.
        Array.Sort(similarities);
        return 1 - similarities[n - k];
    }

    private static void CheckK(float[] normalised, int dimension, int k)
    {
        var n = normalised.Length / dimension;
        if (k < 1 || k > n)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and the {n} reference images");
        }
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
        if (knn && spec.Contrast is { } contrast)
        {
            if (m.Rows - contrast.Rows < spec.K)
            {
                throw new ModelPackageException(ModelPackageError.OodInvalid, package.Folder, file, "ood.contrast.rows",
                    $"holds {m.Rows} rows, which leaves fewer than k = {spec.K} training rows before the {contrast.Rows} contrast rows");
            }
            var split = (m.Rows - contrast.Rows) * featureSize;
            return NearestNeighbourWithContrast(m.Values[..split], m.Values[split..], featureSize, spec.K, spec.Threshold,
                contrast.Threshold, spec.Features);
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
