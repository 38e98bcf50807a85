using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;
using CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg2000;
using CxrPacsAgent.Dicom.Imaging.Codecs.JpegLs;
using CxrPacsAgent.Dicom.Imaging.Codecs.Rle;

namespace CxrPacsAgent.Fuzz.Codecs;

/// <summary>
/// One AFL target per decoder: <c>dotnet CxrPacsAgent.Fuzz.Codecs.dll rle|lossless|baseline|jpegls|j2k</c>. The first two
/// input bytes choose the frame size and layout, the rest is the compressed frame; anything but a
/// <see cref="DicomCodecException"/> escaping is a crash for AFL to report.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var target = args.Length > 0 ? args[0] : "rle";
        // The decoder is made inside the callback: instrumented code may only run once SharpFuzz has attached AFL's
        // shared memory. A replayed input needs a build whose toolkit DLL was not instrumented.
        FuzzHarness.Run(args.Length > 1 ? args[1] : null, input => Decode(Create(target), input), e => e is DicomCodecException);
    }

    private static IDicomFrameDecoder Create(string target) => target switch
    {
        "rle" => new RleFrameDecoder(),
        "lossless" => new JpegLosslessFrameDecoder(),
        "baseline" => new JpegDctFrameDecoder(),
        "jpegls" => new JpegLsFrameDecoder(),
        // OpenJPEG behind our wrapper: the wrapper's checks and the native decoder both see the fuzzed bytes (a crash in
        // the library is a crash of this process, which AFL records like any other).
        "j2k" when OpenJpeg.IsAvailable => new Jpeg2000FrameDecoder(),
        "j2k" => throw new InvalidOperationException(OpenJpeg.UnavailableReason),
        _ => throw new ArgumentException($"unknown target {target}; use rle, lossless, baseline, jpegls or j2k"),
    };

    private static void Decode(IDicomFrameDecoder decoder, byte[] input)
    {
        if (input.Length < 2)
        {
            return;
        }
        // Small frames keep each execution fast: 1–64 columns and rows, grey or colour, 8 or 16 bits.
        var columns = (input[0] & 63) + 1;
        var rows = ((input[1] & 63) + 1);
        var colour = (input[0] & 64) != 0;
        var bits = (input[1] & 64) != 0 ? 16 : 8;
        var description = new PixelDescription(rows, columns, colour ? 3 : 1, bits, bits, bits - 1, false,
            colour ? "YBR_FULL_422" : "MONOCHROME2", 0, 1);
        decoder.Decode(input.AsSpan(2), description, new int[description.SampleCount]);
    }
}
