using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Inference.Runtime;

/// <summary>The combined result of N models: mean score, and the label most members voted for.</summary>
public sealed record EnsemblePrediction(float MeanScore, bool Positive, string Label, int PositiveVotes, IReadOnlyList<Prediction> Members)
{
    /// <summary>Out of distribution when any member says so: the ensemble is no surer than its least sure member.</summary>
    public bool OutOfDistribution => Members.Any(m => m.OutOfDistribution);

    /// <summary>The call to report: null when out of distribution.</summary>
    public bool? Call => OutOfDistribution ? null : Positive;
}

/// <summary>N packages for the same task and input, run on the same tensor. Ties in the vote go to the mean score.</summary>
public sealed class ModelEnsemble : IDisposable
{
    public ModelEnsemble(IReadOnlyList<CxrModel> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
        {
            throw new ArgumentException("an ensemble needs at least one model", nameof(members));
        }
        var first = members[0].Manifest;
        foreach (var m in members.Skip(1))
        {
            if (!SameInput(m.Manifest.Input, first.Input))
            {
                throw new ModelPackageException(ModelPackageError.EnsembleMismatch, m.Package.Folder,
                    $"its input differs from '{members[0].Package.DisplayName}': ensemble members must share one input");
            }
            if (m.Manifest.PositiveLabel != first.PositiveLabel)
            {
                throw new ModelPackageException(ModelPackageError.EnsembleMismatch, m.Package.Folder,
                    $"positive label '{m.Manifest.PositiveLabel}' differs from '{first.PositiveLabel}'");
            }
        }
        Members = members;
    }

    public IReadOnlyList<CxrModel> Members { get; }

    /// <summary>One preprocessed image through every member.</summary>
    public EnsemblePrediction Predict(InputTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Predict(tensor.Data, 1)[0];
    }

    public IReadOnlyList<EnsemblePrediction> Predict(Memory<float> input, int batch)
    {
        var perModel = new List<IReadOnlyList<Prediction>>();
        foreach (var m in Members)
        {
            perModel.Add(m.Predict(input, batch));
        }
        var manifest = Members[0].Manifest;
        var result = new EnsemblePrediction[batch];
        for (var i = 0; i < batch; i++)
        {
            var members = perModel.Select(p => p[i]).ToArray();
            result[i] = Combine(members, manifest.PositiveLabel, manifest.NegativeLabel, manifest.Threshold);
        }
        return result;
    }

    /// <summary>Majority vote of the members' own decisions; a tie is settled by the mean score against the first threshold.</summary>
    public static EnsemblePrediction Combine(IReadOnlyList<Prediction> members, string positive, string negative, double threshold)
    {
        ArgumentNullException.ThrowIfNull(members);
        var votes = members.Count(p => p.Positive);
        var mean = (float)members.Average(p => p.Score);
        var isPositive = 2 * votes == members.Count ? mean >= threshold : 2 * votes > members.Count;
        return new EnsemblePrediction(mean, isPositive, isPositive ? positive : negative, votes, members);
    }

    /// <summary>One tensor feeds every member, so size, channels and normalisation must agree exactly.</summary>
    private static bool SameInput(InputSpec a, InputSpec b) =>
        a.Width == b.Width && a.Height == b.Height && a.Channels.SequenceEqual(b.Channels)
        && a.Normalization.Scale == b.Normalization.Scale
        && a.Normalization.Mean.SequenceEqual(b.Normalization.Mean) && a.Normalization.Std.SequenceEqual(b.Normalization.Std);

    public void Dispose()
    {
        foreach (var m in Members)
        {
            m.Dispose();
        }
    }
}
