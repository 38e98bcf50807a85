using System.Diagnostics;
using System.Globalization;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Imaging.Rendering;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Explain;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Worker.Results;
using Microsoft.Extensions.Logging.Abstractions;

// Times what a result costs on a 2500×2000 (rows × columns) DX written by bench/parse/generate_dx.py from a real
// radiograph: decode, preprocessing, the SC picture with and without the heatmap, the occlusion map per grid size, SR
// and SC encoding. run.sh times dcmj2pnm on the same file. Median and best of N runs after 2 warm-ups.
var path = args[0];
var folder = args[1];
var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 7;
using var model = CxrModel.Load(DefaultModel.Folder, new InferenceOptions(), NullLogger.Instance);
using var ensemble = new ModelEnsemble([model]);
var builder = new ModelInputBuilder(model.Manifest, model.LungSegmenter);
var identity = ModelIdentity.FromManifest(model.Manifest);

var times = new List<(string Name, double Median, double Best)>();
T Time<T>(string name, Func<T> action, int n = 0)
{
    n = n == 0 ? runs : n;
    var measured = new List<double>();
    T result = default!;
    for (var i = 0; i < n + 2; i++)
    {
        var watch = Stopwatch.StartNew();
        result = action();
        if (i >= 2)
        {
            measured.Add(watch.Elapsed.TotalMilliseconds);
        }
    }
    measured.Sort();
    times.Add((name, measured[measured.Count / 2], measured[0]));
    return result;
}

var file = Time("open + decode (DICOM → display brightness)", () => { var f = DicomFile.Open(path); _ = Radiograph.FromDicom(f); return f; });
var image = Radiograph.FromDicom(file).Image;
var pre = Time("preprocess (crop, brightness, CLAHE, lung U-Net)", () => builder.Preprocess(image));
var tensor = builder.Build(pre).Data;
var prediction = Time("model run (one image)", () => ensemble.Predict(tensor, 1)[0]);
var lungs = pre.LungMap.Crop(pre.Geometry.Content);
foreach (var grid in new[] { 4, 8, 16 })
{
    Time($"occlusion map, grid {grid} ({grid * grid} model runs)", () => ModelOcclusion.Compute(ensemble, pre, tensor, grid), n: Math.Max(1, runs / 2));
}
var heat = ModelOcclusion.Compute(ensemble, pre, tensor, 8).Saliency();
var result = new CxrResult
{
    Source = file.Dataset,
    Model = identity,
    Score = prediction.MeanScore,
    Threshold = model.Manifest.Threshold,
    Call = prediction.Positive,
    DisplayImage = pre.Standardized,
    LungMap = lungs,
};
var card = new ResultCard(prediction.MeanScore, prediction.Label, 0.5, identity.Name, identity.Version, []);
Time("SC picture, no heatmap (draw)", () => SecondaryCaptureRenderer.Render(pre.Standardized, lungs, card));
Time("SC picture, heatmap drawn (draw)", () => SecondaryCaptureRenderer.Render(pre.Standardized, lungs, card with { Heatmap = heat }));
var noHeat = new ResultOptions { Heatmap = new HeatmapOptions { Enabled = false } };
Time("SR + SC instances built and written, no heatmap", () => ResultDocuments.Build(result, noHeat).Save(folder, "timed"));
Time("SR + SC instances built and written, heatmap drawn", () => ResultDocuments.Build(result with { Heatmap = heat }, new ResultOptions()).Save(folder, "timed"));
Time("SR only, built and written", () => ResultDocuments.Build(result, noHeat with { SecondaryCapture = false }).Save(folder, "timed"));
Time("whole SC path, no heatmap: open → decode → preprocess → SR + SC written", () =>
{
    var f = DicomFile.Open(path);
    var p = builder.Preprocess(Radiograph.FromDicom(f).Image);
    return ResultDocuments.Build(result with { Source = f.Dataset, DisplayImage = p.Standardized, LungMap = p.LungMap.Crop(p.Geometry.Content) }, noHeat)
        .Save(folder, "timed");
});
Time("whole SC path, heatmap grid 8: the same + occlusion map", () =>
{
    var f = DicomFile.Open(path);
    var p = builder.Preprocess(Radiograph.FromDicom(f).Image);
    var t = builder.Build(p).Data;
    var h = ModelOcclusion.Compute(ensemble, p, t, 8).Saliency();
    return ResultDocuments.Build(result with { Source = f.Dataset, DisplayImage = p.Standardized, LungMap = p.LungMap.Crop(p.Geometry.Content), Heatmap = h },
        new ResultOptions()).Save(folder, "timed");
}, n: Math.Max(1, runs / 2));

Console.WriteLine($"results on {image.Width}x{image.Height} DX, median/best of {runs} after 2 warm-ups (occlusion: {Math.Max(1, runs / 2)}), " +
    $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, model {identity.Name} {identity.Version}");
foreach (var (name, median, best) in times)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {median:0.0} ms | {best:0.0} ms |"));
}
