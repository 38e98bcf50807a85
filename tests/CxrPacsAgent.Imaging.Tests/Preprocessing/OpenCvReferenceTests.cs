using CxrPacsAgent.Imaging.Preprocessing;

namespace CxrPacsAgent.Imaging.Tests.Preprocessing;

/// <summary>
/// CLAHE and bilinear resize against OpenCV 4.6's outputs on a real radiograph (TestData/README.md says how they were
/// made). OpenCV rounds its tile maps to 8 bits before blending; ours stay float, so results may differ by one level.
/// </summary>
public sealed class OpenCvReferenceTests
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    [Fact]
    public void Clahe_matches_cv2_createCLAHE_within_one_level()
    {
        var input = ImageFile.LoadGray(Data("clahe-input.png"));
        var expected = ImageFile.LoadGray(Data("clahe-opencv.png"));
        var actual = Clahe.Apply(input, new ClaheOptions { ClipLimit = 2.0, TilesX = 8, TilesY = 8 });
        AssertClose(expected, actual, maxLevels: 1, meanLevels: 0.5);
    }

    [Fact]
    public void Bilinear_matches_cv2_resize_inter_linear_within_one_level()
    {
        var input = ImageFile.LoadGray(Data("clahe-input.png"));
        var expected = ImageFile.LoadGray(Data("resize-opencv-224x196.png"));
        var actual = AspectResize.Bilinear(input, 224, 196);
        AssertClose(expected, actual, maxLevels: 1, meanLevels: 0.5);
    }

    private static void AssertClose(GrayImage expected, GrayImage actual, int maxLevels, double meanLevels)
    {
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        var diffs = expected.Pixels.Zip(actual.Pixels, (e, a) => Math.Abs(Math.Round(e * 255) - Math.Round(a * 255))).ToArray();
        Assert.True(diffs.Max() <= maxLevels, $"max {diffs.Max()} levels");
        Assert.True(diffs.Average() <= meanLevels, $"mean {diffs.Average():0.000} levels");
    }
}
