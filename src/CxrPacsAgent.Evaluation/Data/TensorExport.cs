using System.Globalization;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;

namespace CxrPacsAgent.Evaluation.Data;

/// <summary>
/// Writes what the Python toolkit trains on, so that it never re-implements the preprocessing: one .npy CHW tensor per
/// image (tensors/NNNNNN.npy), or the backbone features of all images ([N,F] features.npy), plus index.csv in row order.
/// </summary>
public static class TensorExport
{
    /// <returns>Rows written and rows skipped (unreadable or blank images, listed in index.csv with the reason).</returns>
    /// <param name="segmenter">The template's lung U-Net for tensor exports (feature exports use the model's own).</param>
    public static (int Written, int Skipped) Run(IReadOnlyList<LabeledImage> rows, ModelManifest manifest, string output,
        CxrModel? featureModel = null, IProgress<int>? progress = null, OnnxLungSegmenter? segmenter = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(manifest);
        var builder = new ModelInputBuilder(manifest, featureModel?.LungSegmenter ?? segmenter);
        Directory.CreateDirectory(output);
        var tensorDir = Path.Combine(output, "tensors");
        if (featureModel is null)
        {
            Directory.CreateDirectory(tensorDir);
        }
        var width = featureModel?.FeatureSize ?? 0;
        var results = ParallelRows.Map(Enumerable.Range(0, rows.Count).ToArray(), index =>
        {
            try
            {
                var (image, sop) = RadiographLoader.LoadWithUid(rows[index].Path);
                var tensor = builder.Build(image);
                if (featureModel is null)
                {
                    NpyWriter.Write(Path.Combine(tensorDir, $"{index:D6}.npy"), tensor.Data, 3, builder.Size, builder.Size);
                    return (Status: "ok", Features: Array.Empty<float>(), Sop: sop);
                }
                return (Status: "ok", Features: featureModel.RunFeatures(tensor.Data, 1).ToArray(), Sop: sop);
            }
            catch (ImageException e)
            {
                return (Status: $"skipped: {e.Error}", Features: new float[width], Sop: "");
            }
        }, progress);
        if (featureModel is not null)
        {
            NpyWriter.Write(Path.Combine(output, "features.npy"), results.SelectMany(r => r.Features).ToArray(), rows.Count, width);
        }
        WriteIndex(Path.Combine(output, "index.csv"), rows, [.. results.Select(r => r.Status)], [.. results.Select(r => r.Sop)],
            featureModel is not null);
        var skipped = results.Count(r => r.Status != "ok");
        return (rows.Count - skipped, skipped);
    }

    private static void WriteIndex(string path, IReadOnlyList<LabeledImage> rows, string[] status, string[] sop, bool features)
    {
        using var writer = new StreamWriter(path);
        var extra = rows.Count == 0 ? [] : rows[0].Columns.Keys.Where(k => k is not ("path" or "label" or "patient_id" or "sop_instance_uid")).ToArray();
        // sop_instance_uid lets the toolkit join labels keyed by SOP Instance UID (DICOM sets).
        writer.WriteLine(string.Join(',', ["row", "path", "label", "patient_id", .. extra, "sop_instance_uid", "tensor", "status"]));
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var tensor = features ? "" : $"tensors/{i:D6}.npy";
            writer.WriteLine(string.Join(',', [i.ToString(CultureInfo.InvariantCulture), r.RelativePath, r.Label ?? "", r.PatientId ?? "",
                .. extra.Select(k => r.Columns[k]), sop[i], tensor, status[i]]));
        }
    }
}
