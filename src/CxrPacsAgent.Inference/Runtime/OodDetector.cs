using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Inference.Runtime;

/// <summary>
/// The package's out-of-distribution test: the Mahalanobis distance √((x − μ)ᵀ P (x − μ)) of an image's features from
/// the training images' mean μ under their (shrunk) precision matrix P, against the package's threshold.
/// </summary>
public sealed class OodDetector
{
    private readonly double[] mean;
    private readonly double[] precision;

    public OodDetector(double[] mean, double[] precision, double threshold, OodFeatures features)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(precision);
        if (precision.Length != mean.Length * mean.Length)
        {
            throw new ArgumentException($"a {mean.Length}-d mean needs a {mean.Length}×{mean.Length} precision matrix", nameof(precision));
        }
        this.mean = mean;
        this.precision = precision;
        Threshold = threshold;
        Features = features;
    }

    public int Dimension => mean.Length;

    public double Threshold { get; }

    public OodFeatures Features { get; }

    /// <summary>Reads the package's statistics file and checks its shape against the features the model produces.</summary>
    public static OodDetector Load(ModelPackage package, int featureSize)
    {
        ArgumentNullException.ThrowIfNull(package);
        var spec = package.Manifest.Ood ?? throw new ArgumentException("the package has no OOD statistics", nameof(package));
        var path = package.OodStatisticsPath!;
        (float[] Values, int Rows, int Columns) m;
        try
        {
            m = NpyMatrix.Read(path);
        }
        catch (InvalidDataException e)
        {
            throw new ModelPackageException(ModelPackageError.OodInvalid, package.Folder, Path.GetFileName(path), "ood.file", e.Message, e);
        }
        if (m.Columns != featureSize || m.Rows != featureSize + 1)
        {
            throw new ModelPackageException(ModelPackageError.OodInvalid, package.Folder, Path.GetFileName(path), "ood.features",
                $"holds [{m.Rows}, {m.Columns}] but the model's {spec.Features.ToString().ToLowerInvariant()} features are {featureSize}-d (expected [{featureSize + 1}, {featureSize}])");
        }
        var d = featureSize;
        var mean = m.Values.AsSpan(0, d).ToArray().Select(v => (double)v).ToArray();
        var precision = m.Values.AsSpan(d).ToArray().Select(v => (double)v).ToArray();
        return new OodDetector(mean, precision, spec.Threshold, spec.Features);
    }

    public OodMeasure Measure(ReadOnlySpan<float> features)
    {
        if (features.Length != mean.Length)
        {
            throw new ArgumentException($"expected {mean.Length} features, got {features.Length}", nameof(features));
        }
        var d = mean.Length;
        Span<double> centred = d <= 1024 ? stackalloc double[d] : new double[d];
        for (var i = 0; i < d; i++)
        {
            centred[i] = features[i] - mean[i];
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
        return new OodMeasure(Math.Sqrt(Math.Max(0, sum)), Threshold);
    }
}
