using System.Diagnostics;
using System.Globalization;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Imaging.Rendering;
using CxrPacsAgent.Imaging.Segmentation;

// Times each preprocessing stage on a 2500×2000 (rows × columns) 16-bit MONOCHROME2 DX made from a real radiograph
// (adult-cxr-06 scaled up, so the histogram and structure are a chest's, not noise). Median of N runs after warm-up.
var source = args.Length > 0 ? args[0] : "../shared/data/adult-cxr-samples/adult-cxr-06.png";
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
const int Rows = 2500, Columns = 2000;

var picture = AspectResize.Bilinear(ImageFile.LoadGray(source), Columns, Rows);
var stored = new ushort[Rows * Columns];
for (var i = 0; i < stored.Length; i++)
{
    stored[i] = (ushort)Math.Round(Math.Clamp(picture.Pixels[i], 0f, 1f) * 65535);
}
var ds = new DicomDataset();
ds.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.DigitalXRayImageStorageForPresentation);
ds.AddOrUpdate(DicomTags.Modality, "DX");
ds.AddOrUpdate(DicomTags.Rows, (ushort)Rows);
ds.AddOrUpdate(DicomTags.Columns, (ushort)Columns);
ds.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)1);
ds.AddOrUpdate(DicomTags.PhotometricInterpretation, "MONOCHROME2");
ds.AddOrUpdate(DicomTags.BitsAllocated, (ushort)16);
ds.AddOrUpdate(DicomTags.BitsStored, (ushort)16);
ds.AddOrUpdate(DicomTags.HighBit, (ushort)15);
ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0);
ds.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OW, System.Runtime.InteropServices.MemoryMarshal.AsBytes(stored.AsSpan()));
var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;

var options = new PreprocessOptions();
var segmenter = new ClassicalLungSegmenter();
var stages = new Dictionary<string, List<double>>();
void Time(string name, Action action)
{
    var watch = Stopwatch.StartNew();
    action();
    watch.Stop();
    if (!stages.TryGetValue(name, out var list))
    {
        stages[name] = list = [];
    }
    list.Add(watch.Elapsed.TotalMilliseconds);
}

for (var run = 0; run < runs + 3; run++)
{
    GrayImage image = null!, cropped = null!, standardized = null!, clahe = null!, model = null!, standardizedModel = null!, lungs = null!;
    PixelRect crop = default, content = default;
    var total = Stopwatch.StartNew();
    Time("render (DICOM → [0,1])", () => image = new GrayImage(Columns, Rows, DicomGrayscalePipeline.Render(ds, syntax)));
    Time("border crop", () => { crop = BorderCrop.Find(image, options.Crop); cropped = image.Crop(crop); });
    Time("brightness", () => standardized = BrightnessStandardizer.Apply(cropped, options.LowPercentile, options.HighPercentile));
    Time("CLAHE (full resolution)", () => clahe = Clahe.Apply(standardized, options.Clahe));
    Time("resize + pad (×2)", () =>
    {
        content = AspectResize.Placement(cropped.Width, cropped.Height, options.InputSize);
        model = AspectResize.Apply(clahe, options.InputSize, 0);
        standardizedModel = AspectResize.Apply(standardized, options.InputSize, 0);
    });
    Time("lung segmentation (classical)", () => lungs = segmenter.Segment(new LungSegmentationInput(model, standardizedModel, content)));
    Time("tensor", () => InputTensor.FromChannels(model, lungs, options.Normalization));
    total.Stop();
    if (!stages.TryGetValue("total", out var totals))
    {
        stages["total"] = totals = [];
    }
    totals.Add(total.Elapsed.TotalMilliseconds);
    if (run == 0)
    {
        Time("SC render (1024 high)", () => SecondaryCaptureRenderer.Render(standardized, lungs.Crop(content),
            new ResultCard(0.5, "label", 0.5, "model", "1", [])));
    }
}

Console.WriteLine($"preprocess {Columns}x{Rows} 16-bit, {runs} runs after 3 warm-up, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
foreach (var (name, times) in stages)
{
    var measured = times.Count > 3 ? times.Skip(3).Order().ToList() : times.Order().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {measured[measured.Count / 2]:0.0} ms | {measured[0]:0.0} ms |"));
}
