using System.CommandLine;
using System.Globalization;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Filtering;
using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Imaging.Rendering;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent preprocess FILE --out DIR [--model PKG]</c>: runs the view filter and the preprocessing of a model package
/// (input size, lung segmenter) on one DICOM (or PNG/JPEG) file and writes a PNG of every stage, so a person can see what
/// the model sees. Exit 0, 2 (unreadable), 3 (skipped).
/// </summary>
internal static class PreprocessCommand
{
    private const int Skipped = 3;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "DICOM file, or a PNG/JPEG for research use" };
        var output = new Option<DirectoryInfo>("--out") { Description = "folder for the stage pictures", Required = true };
        var model = new Option<DirectoryInfo>("--model") { Description = "model package whose preprocessing to show (default: the shipped one)" };
        var command = new Command("preprocess", "Preprocess one radiograph as the model sees it and save every stage as PNG") { file, output, model };
        command.SetAction(result => CliErrors.Guard(() => PackageErrors.Guard(() =>
            Run(result.GetValue(file)!, result.GetValue(output)!, result.GetValue(model)?.FullName ?? DefaultModel.Folder))));
        return command;
    }

    private static int Run(FileInfo file, DirectoryInfo outputFolder, string modelFolder)
    {
        Radiograph radiograph;
        ViewDecision decision;
        try
        {
            (radiograph, decision) = Load(file.FullName);
        }
        catch (ImageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return CliErrors.InvalidInput;
        }
        if (!decision.Accepted)
        {
            Console.WriteLine($"skipped ({decision.Reason}): {decision.Message}");
            return Skipped;
        }
        Console.WriteLine(decision);

        var package = ModelPackage.Load(modelFolder);
        using var segmenter = package.SegmenterPath is { } unet
            ? OnnxLungSegmenter.Load(unet, new SessionFactory(new InferenceOptions(), NullLogger.Instance), package.Folder)
            : null;
        Console.WriteLine($"preprocessing of {package.DisplayName}; lungs: {(segmenter is null ? "classical segmenter" : $"U-Net {Path.GetFileName(package.SegmenterPath)}")}");
        PreprocessResult stages;
        try
        {
            stages = new ModelInputBuilder(package.Manifest, segmenter).Preprocess(radiograph.Image);
        }
        catch (ImageException e)
        {
            Console.WriteLine($"skipped ({e.Error}): {e.Message}");
            return e.Error == ImageError.BlankImage ? Skipped : CliErrors.InvalidInput;
        }
        Directory.CreateDirectory(outputFolder.FullName);
        Save(outputFolder, "1-original.png", stages.Original);
        Save(outputFolder, "2-crop.png", stages.Cropped);
        Save(outputFolder, "3-brightness.png", stages.Standardized);
        Save(outputFolder, "4-clahe.png", stages.Clahe);
        Save(outputFolder, "5-model-input.png", stages.ModelImage);
        Save(outputFolder, "6-lung-map.png", stages.LungMap);
        ImageFile.SavePng(StagePictures.Overlay(stages.ModelImage, stages.LungMap), Path.Combine(outputFolder.FullName, "7-overlay.png"));

        var g = stages.Geometry;
        var t = stages.Tensor;
        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(culture, $"source {g.SourceWidth}x{g.SourceHeight}, crop {g.Crop}, content {g.Content} of {g.Size}x{g.Size}"));
        Console.WriteLine(string.Create(culture,
            $"tensor {t.Channels}x{t.Height}x{t.Width}, channel means {t.Channel(0).ToArray().Average():0.###} / {t.Channel(1).ToArray().Average():0.###} / {t.Channel(2).ToArray().Average():0.###}"));
        Console.WriteLine($"stages written to {outputFolder.FullName}");
        return 0;
    }

    /// <summary>DICOM: the header decides, the image only where the header is silent. Pictures: the image decides.</summary>
    private static (Radiograph, ViewDecision) Load(string path)
    {
        if (Radiograph.IsPicture(path))
        {
            var picture = Radiograph.Load(path);
            return (picture, ImageViewHeuristic.Evaluate(picture.Image));
        }
        var dicom = Radiograph.OpenDicom(path);
        var header = FrontalChestFilter.FromHeader(dicom.Dataset);
        if (!header.Accepted)
        {
            return (new Radiograph(new GrayImage(1, 1), dicom.Dataset), header);
        }
        var radiograph = Radiograph.FromDicom(dicom);
        return (radiograph, FrontalChestFilter.Decide(dicom.Dataset, () => radiograph.Image));
    }

    private static void Save(DirectoryInfo folder, string name, GrayImage image) => ImageFile.SavePng(image, Path.Combine(folder.FullName, name));
}
