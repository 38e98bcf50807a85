using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;
using CxrPacsAgent.Dicom.Imaging.Codecs.JpegLs;
using CxrPacsAgent.Dicom.Imaging.Codecs.Rle;
using SharpFuzz;

namespace CxrPacsAgent.Fuzz.Codecs;

/// <summary>
/// One AFL target per decoder: <c>dotnet CxrPacsAgent.Fuzz.Codecs.dll rle|lossless|baseline|jpegls</c>. The first two
/// input bytes choose the frame size and layout, the rest is the compressed frame; anything but a
/// <see cref="DicomCodecException"/> escaping is a crash for AFL to report.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var target = args.Length > 0 ? args[0] : "rle";
        if (target is not ("rle" or "lossless" or "baseline" or "jpegls"))
        {
            throw new ArgumentException($"unknown target {target}; use rle, lossless, baseline or jpegls");
        }
        if (args.Length > 1)
        {
            // Replay one input (e.g. a crash file); needs a build whose toolkit DLL was not instrumented.
            Decode(Create(target), File.ReadAllBytes(args[1]));
            return;
        }
        // Instrumented code may only run inside the callback, once SharpFuzz has attached AFL's shared memory.
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            Decode(Create(target), memory.ToArray());
        });
    }

    private static IDicomFrameDecoder Create(string target) => target switch
    {
        "rle" => new RleFrameDecoder(),
        "lossless" => new JpegLosslessFrameDecoder(),
        "baseline" => new JpegDctFrameDecoder(),
        _ => new JpegLsFrameDecoder(),
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
        var samples = new int[description.SampleCount];
        try
        {
            decoder.Decode(input.AsSpan(2), description, samples);
        }
        catch (DicomCodecException)
        {
            // A typed rejection is the expected outcome for malformed input.
        }
    }
}
