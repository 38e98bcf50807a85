using System.CommandLine;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent export-tensors --data DIR --model PKG --out DIR [--features]</c>: the C# preprocessing, written for the
/// Python toolkit (which must not re-implement it). PKG may be a template holding only model.json unless --features.
/// </summary>
internal static class ExportTensorsCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "folder with labels.csv (path,label[,patient_id,...]), or of DICOM files to label later by SOP Instance UID", Required = true };
        var model = new Option<DirectoryInfo>("--model") { Description = "model package (or template) whose input size, channels and normalisation to produce", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "output folder", Required = true };
        var features = new Option<bool>("--features") { Description = "write backbone features (all graphs but the last) instead of input tensors" };
        var command = new Command("export-tensors", "Write preprocessed input tensors (or backbone features) for the training toolkit")
        {
            data, model, output, features,
        };
        command.SetAction(r => CliErrors.Guard(() => PackageErrors.Guard(() => Run(
            r.GetValue(data)!, r.GetValue(model)!, r.GetValue(output)!, r.GetValue(features)))));
        return command;
    }

    private static int Run(DirectoryInfo data, DirectoryInfo modelDir, DirectoryInfo output, bool features)
    {
        var rows = LabelsCsv.ReadFolder(data.FullName);
        // A template or a package in training: the tools that feed the toolkit read older schemas too.
        var manifest = ModelPackage.ReadManifest(modelDir.FullName, PackageOpenMode.Upgrade);
        // One operator thread per image, images in parallel: preprocessing is single-threaded, so this keeps every core busy.
        var factory = new SessionFactory(new InferenceOptions { IntraOpThreads = 1 }, NullLogger.Instance);
        using var model = features ? CxrModel.Load(ModelPackage.Load(modelDir.FullName, PackageOpenMode.Upgrade), factory) : null;
        // Tensors carry the lung map of the segmenter the package will run with: its U-Net when the template names one.
        using var segmenter = !features && manifest.LungSegmenter is { } unet
            ? OnnxLungSegmenter.Load(Path.Combine(modelDir.FullName, unet.File), factory, modelDir.FullName)
            : null;
        var (written, skipped) = ConsoleProgress.Run("export", rows.Count, p => TensorExport.Run(rows, manifest, output.FullName, model, p, segmenter));
        Console.WriteLine($"exported {written} of {rows.Count} images ({skipped} skipped) to {output.FullName}{(features ? $" as features [{rows.Count},{model!.FeatureSize}]" : "")}");
        return 0;
    }
}
