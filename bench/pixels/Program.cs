using System.Diagnostics;
using System.Globalization;
using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Bench.Pixels;

/// <summary>
/// <c>dotnet CxrPacsAgent.Bench.Pixels.dll ITERATIONS FILE...</c>: for each file, opens it and decodes frame 0 to
/// samples (and, separately, renders it through the grayscale pipeline) ITERATIONS times after two warm-up runs, and
/// prints the median and the best wall time in milliseconds as tab-separated lines. ITERATIONS 0 decodes each file once, cold.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: CxrPacsAgent.Bench.Pixels ITERATIONS FILE...");
            return 2;
        }
        var iterations = int.Parse(args[0], CultureInfo.InvariantCulture);
        if (iterations == 0)
        {
            // One cold open+decode per file, to time as a whole process against DCMTK's tools.
            foreach (var path in args.Skip(1))
            {
                var file = DicomFile.Open(path);
                _ = DicomPixelData.GetFrameSamples(file.Dataset, file.TransferSyntax, 0);
            }
            return 0;
        }
        Console.WriteLine("file\toperation\tmedian_ms\tbest_ms");
        foreach (var path in args.Skip(1))
        {
            Report(path, "open+decode", iterations, () =>
            {
                var file = DicomFile.Open(path);
                return DicomPixelData.GetFrameSamples(file.Dataset, file.TransferSyntax, 0).Length;
            });
            Report(path, "open+render", iterations, () =>
            {
                var file = DicomFile.Open(path);
                return DicomGrayscalePipeline.Render(file.Dataset, file.TransferSyntax).Length;
            });
        }
        return 0;
    }

    private static void Report(string path, string operation, int iterations, Func<int> action)
    {
        action();
        action();
        var times = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(path)}\t{operation}\t{times[iterations / 2]:F1}\t{times[0]:F1}"));
    }
}
