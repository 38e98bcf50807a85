using System.Diagnostics;
using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;
using CxrPacsAgent.Dicom.Imaging.Codecs.JpegLs;
using CxrPacsAgent.Dicom.Imaging.Codecs.Rle;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Imaging.Codecs;

/// <summary>
/// Inputs that fuzz/codecs found (a crash or hang), kept as regressions in Imaging/Codecs/FuzzFindings as TARGET-what.bin,
/// decoded exactly as the harness does: two layout bytes, then the frame.
/// </summary>
public sealed class CodecFuzzFindingsTests
{
    public static TheoryData<string> Findings() =>
        new(Directory.GetFiles(RepositoryPaths.TestSource("Imaging/Codecs/FuzzFindings")).Order(StringComparer.Ordinal).Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Findings))]
    public void Finding_gives_a_typed_error_or_output_quickly(string name)
    {
        var input = File.ReadAllBytes(RepositoryPaths.TestSource("Imaging/Codecs/FuzzFindings/" + name));
        IDicomFrameDecoder decoder = name.Split('-')[0] switch
        {
            "rle" => new RleFrameDecoder(),
            "lossless" => new JpegLosslessFrameDecoder(),
            "baseline" => new JpegDctFrameDecoder(),
            "j2k" => new Dicom.Imaging.Codecs.Jpeg2000.Jpeg2000FrameDecoder(),
            _ => new JpegLsFrameDecoder(),
        };
        // The layout rule of fuzz/codecs/Program.cs.
        var colour = (input[0] & 64) != 0;
        var bits = (input[1] & 64) != 0 ? 16 : 8;
        var d = new PixelDescription((input[1] & 63) + 1, (input[0] & 63) + 1, colour ? 3 : 1, bits, bits, bits - 1, false,
            colour ? "YBR_FULL_422" : "MONOCHROME2", 0, 1);
        var clock = Stopwatch.StartNew();
        var e = Record.Exception(() => decoder.Decode(input.AsSpan(2), d, new int[d.SampleCount]));
        Assert.True(e is null or DicomCodecException, $"{name}: {e}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{name} took {clock.Elapsed}");
    }
}
