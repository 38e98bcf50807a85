using System.Globalization;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Evaluation.Data;

/// <summary>
/// Writes the lung U-Net's training set for the Python toolkit: for each image, the segmenter's input (the CLAHE'd model
/// image of the C# preprocessing) and its reference mask carried through the same crop and resize, so the net learns on
/// exactly what it will be given. Output: images.npy and masks.npy ([N,1,S,S] float32; masks 0/1) and index.csv.
/// </summary>
public static class LungMaskExport
{
    /// <summary>One image and its mask (any picture or DICOM; lung where the mask is at least half its range).</summary>
    public sealed record Pair(string Image, string Mask);

    /// <summary>
    /// Reads a CSV pairing images with masks: a header naming an image column (<c>img</c>, as lungseg-demo's idx.csv,
    /// or <c>path</c>) and a <c>mask</c> column; paths relative to the CSV's folder.
    /// </summary>
    public static IReadOnlyList<Pair> ReadPairs(string csvPath)
    {
        ArgumentNullException.ThrowIfNull(csvPath);
        var folder = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
        var lines = File.ReadAllLines(csvPath).Where(l => l.Trim().Length > 0).ToArray();
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"{csvPath} is empty");
        }
        var header = lines[0].Trim().Split(',');
        var image = Array.FindIndex(header, h => h is "img" or "path");
        var mask = Array.IndexOf(header, "mask");
        if (image < 0 || mask < 0)
        {
            throw new InvalidDataException($"{csvPath}: the header needs an 'img' (or 'path') and a 'mask' column (found: {lines[0].Trim()})");
        }
        var pairs = new List<Pair>();
        for (var i = 1; i < lines.Length; i++)
        {
            var fields = lines[i].Trim().Split(',');
            if (fields.Length != header.Length)
            {
                throw new InvalidDataException($"{csvPath}:{i + 1}: {fields.Length} fields, header has {header.Length}");
            }
            pairs.Add(new Pair(Path.Combine(folder, fields[image]), Path.Combine(folder, fields[mask])));
        }
        return pairs;
    }

    /// <summary>Preprocesses every pair at the package's input size and writes the arrays.</summary>
    public static void Run(IReadOnlyList<Pair> pairs, ModelManifest manifest, string output, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(manifest);
        var builder = new ModelInputBuilder(manifest);
        var size = builder.Size;
        var plane = size * size;
        var images = new float[pairs.Count * plane];
        var masks = new float[pairs.Count * plane];
        // One image after another: mask sets are small, and the first bad pair should stop the export with its own error.
        for (var i = 0; i < pairs.Count; i++)
        {
            var result = builder.Preprocess(Load(pairs[i].Image));
            var mask = Load(pairs[i].Mask);
            if (mask.Width != result.Geometry.SourceWidth || mask.Height != result.Geometry.SourceHeight)
            {
                throw new InvalidDataException(
                    $"{Path.GetFileName(pairs[i].Mask)} is {mask.Width}×{mask.Height}, its image {result.Geometry.SourceWidth}×{result.Geometry.SourceHeight}");
            }
            var reference = result.Geometry.Apply(Binary(mask));
            result.ModelImage.Pixels.CopyTo(images.AsSpan(i * plane, plane));
            var target = masks.AsSpan(i * plane, plane);
            for (var k = 0; k < plane; k++)
            {
                target[k] = reference.Pixels[k] >= 0.5f ? 1f : 0f;
            }
            progress?.Report(i + 1);
        }
        Directory.CreateDirectory(output);
        NpyWriter.Write(Path.Combine(output, "images.npy"), images, pairs.Count, 1, size, size);
        NpyWriter.Write(Path.Combine(output, "masks.npy"), masks, pairs.Count, 1, size, size);
        using var index = new StreamWriter(Path.Combine(output, "index.csv"));
        index.WriteLine("row,image,mask");
        for (var i = 0; i < pairs.Count; i++)
        {
            index.WriteLine(string.Join(',', i.ToString(CultureInfo.InvariantCulture), pairs[i].Image, pairs[i].Mask));
        }
    }

    private static GrayImage Load(string path)
    {
        try
        {
            return RadiographLoader.Load(path);
        }
        catch (ImageException e)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)}: {e.Message}", e);
        }
    }

    // Masks come as 0/255 pictures (or any two-level image): lung where the value is at least half the maximum.
    private static GrayImage Binary(GrayImage mask)
    {
        var max = mask.Pixels.Length == 0 ? 0f : mask.Pixels.Max();
        var binary = new GrayImage(mask.Width, mask.Height);
        for (var i = 0; i < mask.Pixels.Length; i++)
        {
            binary.Pixels[i] = max > 0 && mask.Pixels[i] >= max / 2 ? 1f : 0f;
        }
        return binary;
    }
}
