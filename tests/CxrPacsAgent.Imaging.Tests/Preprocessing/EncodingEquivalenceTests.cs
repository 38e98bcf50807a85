using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Imaging.Tests.TestSupport;
using Xunit.Abstractions;

namespace CxrPacsAgent.Imaging.Tests.Preprocessing;

/// <summary>
/// The same picture, however it is encoded (8/16/12 bit, MONOCHROME1/2, windowed, compressed), gives the same tensor as
/// the PNG it came from. Tolerance: mean |Δ| ≤ 0.5 and max |Δ| ≤ 8 on the 0–255 image channel (CLAHE's 256 bins can put a
/// pixel on the other side of a bin edge when a 12-bit window rounds differently); the lung channel must agree in Dice ≥ 0.98.
/// </summary>
[Collection(DicomCollection.Name)]
public sealed class EncodingEquivalenceTests(DicomFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string, string> Native() => Pairs(DicomFixture.Native);

    public static TheoryData<string, string> Compressed() => Pairs(DicomFixture.Compressed.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Native))]
    public void Native_encodings_give_the_png_tensor(string sample, string encoding) => Compare(sample, encoding);

    [Theory]
    [MemberData(nameof(Compressed))]
    public void Compressed_encodings_give_the_png_tensor(string sample, string encoding)
    {
        Assert.True(System.IO.File.Exists(fixture.File(sample, encoding)), $"{encoding} was not made: {fixture.Problem(sample, encoding)}");
        Compare(sample, encoding);
    }

    private void Compare(string sample, string encoding)
    {
        var preprocessor = new CxrPreprocessor();
        var expected = preprocessor.Run(ImageFile.LoadGray(TestData.Path("adult-cxr-samples", sample + ".png")));
        var actual = preprocessor.Run(Radiograph.Load(fixture.File(sample, encoding)).Image);

        var e = expected.Tensor.Channel(0).ToArray();
        var a = actual.Tensor.Channel(0).ToArray();
        var diffs = e.Zip(a, (x, y) => Math.Abs(x - y)).ToArray();
        var lungDice = Dice.Of(expected.LungMap, actual.LungMap);
        output.WriteLine($"{sample} {encoding}: mean |Δ| {diffs.Average():0.0000}, max |Δ| {diffs.Max():0.000}, lung Dice {lungDice:0.0000}");
        Assert.Equal(expected.Geometry, actual.Geometry);
        Assert.True(diffs.Average() <= 0.5, $"mean |Δ| {diffs.Average()}");
        Assert.True(diffs.Max() <= 8, $"max |Δ| {diffs.Max()}");
        Assert.True(lungDice >= 0.98, $"lung Dice {lungDice}");
        Assert.Equal(expected.Tensor.Channel(2).ToArray(), actual.Tensor.Channel(2).ToArray());
    }

    private static TheoryData<string, string> Pairs(IEnumerable<string> encodings)
    {
        var data = new TheoryData<string, string>();
        foreach (var sample in DicomFixture.Samples)
        {
            foreach (var encoding in encodings)
            {
                data.Add(sample, encoding);
            }
        }
        return data;
    }
}
