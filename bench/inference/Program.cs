using System.Diagnostics;
using System.Globalization;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Segmentation;
using CxrPacsAgent.Inference.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

// Times CxrModel.Run (ONNX Runtime, CPU) on the package run.sh exported, batch 1 and 8, with the thread count PyTorch
// gets. Median of N runs after warm-up; the input is the same seeded noise the PyTorch side uses (content does not
// change the cost of a dense CNN). Prints "ours batch=B ms=MEDIAN min=MIN" per batch size (min: least disturbed by
// other load on a shared machine), then "ours unet ..." for the lung U-Net through OnnxLungSegmenter on one image.
var package = args[0];
var threads = int.Parse(args[1], CultureInfo.InvariantCulture);
var runs = int.Parse(args[2], CultureInfo.InvariantCulture);
using var model = CxrModel.Load(package, new InferenceOptions { IntraOpThreads = threads }, NullLogger.Instance);
foreach (var batch in new[] { 1, 8 })
{
    var random = new Random(0);
    var input = new float[batch * model.InputPerSample];
    for (var i = 0; i < input.Length; i++)
    {
        input[i] = (float)((random.NextDouble() * 255) - 115);
    }
    Console.WriteLine($"ours batch={batch} {Timed(() => model.Run(input, batch))}");
}
using var unet = OnnxLungSegmenter.Load(Path.Combine(package, "lungs.onnx"),
    new SessionFactory(new InferenceOptions { IntraOpThreads = threads }, NullLogger.Instance), package);
var pixels = new Random(0);
var image = new GrayImage(224, 224, [.. Enumerable.Range(0, 224 * 224).Select(_ => (float)pixels.NextDouble())]);
var segmentationInput = new LungSegmentationInput(image, image, new PixelRect(0, 0, 224, 224));
Console.WriteLine($"ours unet {Timed(() => unet.Segment(segmentationInput))}");

string Timed(Action run)
{
    for (var w = 0; w < 3; w++)
    {
        run();
    }
    var times = new List<double>();
    for (var r = 0; r < runs; r++)
    {
        var sw = Stopwatch.StartNew();
        run();
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    return string.Create(CultureInfo.InvariantCulture, $"ms={times[times.Count / 2]:F2} min={times[0]:F2}");
}
