using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Inference.Tests.TestSupport;

namespace CxrPacsAgent.Evaluation.Tests.Data;

/// <summary>The lung U-Net's training set: the C# model images and their masks, through the same crop and resize.</summary>
public sealed class LungMaskExportTests
{
    private static string LungsegCsv => Path.Combine(Repository.SharedData, "lungseg-demo", "idx.csv");

    [Fact]
    public void Lungseg_demo_pairs_export_as_arrays_numpy_reads_with_binary_masks()
    {
        var output = Repository.TempFolder("lung-export");
        var pairs = LungMaskExport.ReadPairs(LungsegCsv);
        Assert.Equal(4, pairs.Count);
        LungMaskExport.Run(pairs, TestPackages.Manifest() with { Input = TestPackages.Manifest().Input with { Width = 64, Height = 64 } }, output);
        // numpy is the judge of the files; lungs cover a plausible share of a chest film and sit in both halves.
        var (code, text) = Repository.Python(TimeSpan.FromMinutes(1), "-c", $$"""
            import numpy as np
            x = np.load('{{output}}/images.npy'); m = np.load('{{output}}/masks.npy')
            print(x.shape, m.shape, sorted(set(np.unique(m).tolist())), float(x.min()) >= 0, float(x.max()) <= 1)
            print(' '.join(f'{f:.2f}' for f in m.mean(axis=(1, 2, 3))))
            print(' '.join(f'{a:.2f},{b:.2f}' for a, b in zip(m[..., :32].mean(axis=(1, 2, 3)), m[..., 32:].mean(axis=(1, 2, 3)))))
            """);
        Assert.True(code == 0, text);
        var lines = text.Trim().Split('\n');
        Assert.Equal("(4, 1, 64, 64) (4, 1, 64, 64) [0.0, 1.0] True True", lines[0]);
        Assert.All(lines[1].Split(' ').Select(double.Parse), f => Assert.InRange(f, 0.15, 0.5));
        Assert.All(lines[2].Split(' ').SelectMany(p => p.Split(',')).Select(double.Parse), f => Assert.InRange(f, 0.1, 0.6));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(output, "index.csv")).Length);
    }

    [Fact]
    public void Csv_without_a_mask_column_is_refused_by_name()
    {
        var folder = Repository.TempFolder("lung-csv");
        var csv = Path.Combine(folder, "idx.csv");
        File.WriteAllLines(csv, ["img,label", "1.jpg,x"]);
        var e = Assert.Throws<InvalidDataException>(() => LungMaskExport.ReadPairs(csv));
        Assert.Contains("'mask'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mask_of_another_size_than_its_image_is_refused_naming_the_mask()
    {
        var folder = Repository.TempFolder("lung-size");
        var demo = Path.Combine(Repository.SharedData, "lungseg-demo");
        var small = Path.Combine(folder, "small-mask.png");
        using (var bitmap = new SkiaSharp.SKBitmap(100, 80))
        using (var file = File.Create(small))
        {
            bitmap.Erase(SkiaSharp.SKColors.Black);
            for (var x = 20; x < 80; x++)
            {
                bitmap.SetPixel(x, 40, SkiaSharp.SKColors.White);
            }
            bitmap.Encode(file, SkiaSharp.SKEncodedImageFormat.Png, 100);
        }
        var pairs = new[] { new LungMaskExport.Pair(Path.Combine(demo, "1.jpg"), small) };
        var e = Assert.Throws<InvalidDataException>(() => LungMaskExport.Run(pairs, TestPackages.Manifest(), Path.Combine(folder, "out")));
        Assert.Contains("small-mask.png is 100×80", e.Message, StringComparison.Ordinal);
    }
}
