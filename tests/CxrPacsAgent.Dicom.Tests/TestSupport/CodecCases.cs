using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.TestSupport;

/// <summary>
/// The compressed inputs: every JPEG lossless predictor on a 2500×2000 16-bit chest image, SV1 / JPEG-LS / RLE / extended DCT
/// on a 12-bit one, and small images for variety (8/12/16 bit, point transform, baseline and extended DCT, YCbCr 4:2:2 and
/// 4:4:4, RGB, JPEG-LS interleave modes, near-lossless).
/// </summary>
internal static class CodecCases
{
    private const string Jpeg = "dcmcjpeg";
    private const string Ls = "dcmcjpls";
    private const string Rle = "dcmcrle";

    public static IReadOnlyList<CodecCase> All { get; } = Build();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All)
        {
            data.Add(c.Name);
        }
        return data;
    }

    public static CodecCase Get(string name) => All.Single(c => c.Name == name);

    private static List<CodecCase> Build()
    {
        var cases = new List<CodecCase>
        {
            new("cxr16_sv1", "cxr16", Jpeg, ["+e1"], "dcmdjpeg"),
            new("cxr16_jpegls", "cxr16", Ls, [], "dcmdjpls"),
            new("cxr16_rle", "cxr16", Rle, [], "dcmdrle"),
            new("cxr12_sv1", "cxr12", Jpeg, ["+e1"], "dcmdjpeg"),
            new("cxr12_extended", "cxr12", Jpeg, ["+ee"], "dcmdjpeg"),
            new("cxr12_jpegls", "cxr12", Ls, [], "dcmdjpls"),
            new("cxr12_rle", "cxr12", Rle, [], "dcmdrle"),
        };
        for (var sv = 1; sv <= 7; sv++)
        {
            cases.Add(new($"cxr16_p14_sv{sv}", "cxr16", Jpeg, ["+el", "+sv", $"{sv}"], "dcmdjpeg"));
        }
        for (var i = 0; i < 4; i++)
        {
            cases.Add(new($"crop16_{i}_p14_sv{i + 4}", $"crop16_{i}", Jpeg, ["+el", "+sv", $"{i + 4}"], "dcmdjpeg"));
            cases.Add(new($"crop12_{i}_p14_sv{i + 1}", $"crop12_{i}", Jpeg, ["+el", "+sv", $"{i + 1}"], "dcmdjpeg"));
            cases.Add(new($"crop8_{i}_p14_sv{7 - i}", $"crop8_{i}", Jpeg, ["+el", "+sv", $"{7 - i}"], "dcmdjpeg"));
            cases.Add(new($"crop8_{i}_jpegls", $"crop8_{i}", Ls, [], "dcmdjpls"));
            cases.Add(new($"crop12_{i}_jpegls_near{i + 1}", $"crop12_{i}", Ls, ["+en", "+md", $"{i + 1}"], "dcmdjpls"));
            cases.Add(new($"crop16_{i}_rle", $"crop16_{i}", Rle, [], "dcmdrle"));
            cases.Add(new($"crop8_{i}_baseline", $"crop8_{i}", Jpeg, ["+eb"], "dcmdjpeg"));
        }
        cases.AddRange(
        [
            new("crop12_0_pt2", "crop12_0", Jpeg, ["+el", "+sv", "1", "+pt", "2"], "dcmdjpeg"),
            new("crop12_1_extended", "crop12_1", Jpeg, ["+ee"], "dcmdjpeg"),
            new("gray8_baseline", "gray8", Jpeg, ["+eb"], "dcmdjpeg"),
            new("flat12_sv1", "flat12", Jpeg, ["+e1"], "dcmdjpeg"),
            new("flat12_jpegls", "flat12", Ls, [], "dcmdjpls"),
            new("flat12_rle", "flat12", Rle, [], "dcmdrle"),
            new("noise16_jpegls", "noise16", Ls, [], "dcmdjpls"),
            new("noise16_sv1", "noise16", Jpeg, ["+e1"], "dcmdjpeg"),
            new("noise16_rle", "noise16", Rle, [], "dcmdrle"),
            new("rgb8_sv1", "rgb8", Jpeg, ["+e1"], "dcmdjpeg"),
            new("rgb8_p14_sv5", "rgb8", Jpeg, ["+el", "+sv", "5"], "dcmdjpeg"),
            new("rgb8_jpegls_line", "rgb8", Ls, ["+il"], "dcmdjpls"),
            new("rgb8_jpegls_none", "rgb8", Ls, ["+in"], "dcmdjpls"),
            new("rgb8_rle", "rgb8", Rle, [], "dcmdrle"),
            new("rgb8_baseline_422", "rgb8", Jpeg, ["+eb"], "dcmdjpeg"),
            new("rgb8_baseline_444", "rgb8", Jpeg, ["+eb", "+s4"], "dcmdjpeg"),
            new("rgb8_baseline_rgb", "rgb8", Jpeg, ["+eb", "+cr"], "dcmdjpeg"),
            new("rgb8_baseline_411", "rgb8", Jpeg, ["+eb", "+n1"], "dcmdjpeg"),
            new("rgb8_jpegls_sample", "rgb8", Ls, ["+is"], "dcmdjpls"),
        ]);
        return cases;
    }
}
