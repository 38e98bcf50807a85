using System.Diagnostics;
using System.Globalization;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Bench.Parse;

/// <summary>
/// Opens every .dcm file of a folder with <see cref="DicomFile.Open"/> and reads the header values a worker routes on;
/// with --pixels it also loads the pixel data (into a buffer reused from file to file). Prints "files seconds files/s". The first 10 files are opened once
/// before timing, so JIT compilation is not counted (pydicom_parse.py does the same for imports and caches).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: CxrPacsAgent.Bench.Parse FOLDER [--pixels [--fresh-arrays]] | FOLDER --read-all-bytes");
            return 2;
        }
        var files = Directory.GetFiles(args[0], "*.dcm");
        Array.Sort(files, StringComparer.Ordinal);
        var pixels = args.Contains("--pixels");
        freshArrays = args.Contains("--fresh-arrays");
        if (args.Contains("--read-all-bytes"))
        {
            // The floor for loading whole files in this runtime: File.ReadAllBytes, no parsing.
            var start = Stopwatch.StartNew();
            var total = files.Sum(f => (long)File.ReadAllBytes(f)[^1]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{files.Length} {start.Elapsed.TotalSeconds:F3} {files.Length / start.Elapsed.TotalSeconds:F1} (checksum {total})"));
            return 0;
        }
        long checksum = 0;
        foreach (var file in files.Take(10))
        {
            checksum += Touch(file, pixels);
        }
        var clock = Stopwatch.StartNew();
        foreach (var file in files)
        {
            checksum += Touch(file, pixels);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{files.Length} {seconds:F3} {files.Length / seconds:F1} (checksum {checksum})"));
        return 0;
    }

    private static long Touch(string path, bool pixels)
    {
        var dataset = DicomFile.Open(path).Dataset;
        long sum = dataset.GetUInt16(DicomTags.Rows) + dataset.GetUInt16(DicomTags.Columns) + dataset.GetUInt16(DicomTags.BitsStored);
        sum += (dataset.GetString(DicomTags.PatientID)?.Length ?? 0) + (dataset.GetString(DicomTags.PatientName)?.Length ?? 0);
        sum += (dataset.GetString(DicomTags.StudyInstanceUID)?.Length ?? 0) + (dataset.GetString(DicomTags.ViewPosition)?.Length ?? 0);
        sum += (long)dataset.GetDouble(DicomTags.WindowCenter);
        if (pixels)
        {
            // Into one buffer reused from file to file, as the pixel pipeline does (DicomBuffer.CopyTo), not a fresh
            // 10 MB array each time.
            var buffer = ((DicomElement)dataset[DicomTags.PixelData]!).Buffer;
            if (freshArrays)
            {
                // The way of the previous version, for comparison: the value loaded into an array of its own.
                return sum + buffer.Memory.Span[^1];
            }
            if (pixelBuffer.Length < buffer.Length)
            {
                pixelBuffer = new byte[buffer.Length];
            }
            buffer.CopyTo(0, pixelBuffer.AsSpan(0, (int)buffer.Length));
            sum += pixelBuffer[buffer.Length - 1];
        }
        return sum;
    }

    private static byte[] pixelBuffer = [];
    private static bool freshArrays;
}
