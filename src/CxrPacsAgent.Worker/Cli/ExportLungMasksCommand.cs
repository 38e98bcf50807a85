using System.CommandLine;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent export-lung-masks --data CSV --model PKG --out DIR</c>: images and reference lung masks through the C#
/// preprocessing, for training the lung U-Net in the Python toolkit (training/cxr_train/lungseg.py).
/// </summary>
internal static class ExportLungMasksCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "CSV with an 'img' (or 'path') and a 'mask' column, paths relative to it (e.g. lungseg-demo/idx.csv)", Required = true };
        var model = new Option<DirectoryInfo>("--model") { Description = "model package (or template holding model.json) whose input size to produce", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "output folder (images.npy, masks.npy, index.csv)", Required = true };
        var command = new Command("export-lung-masks", "Write preprocessed images and their lung masks for training the lung U-Net")
        {
            data, model, output,
        };
        command.SetAction(r => CliErrors.Guard(() => PackageErrors.Guard(() => Run(r.GetValue(data)!, r.GetValue(model)!, r.GetValue(output)!))));
        return command;
    }

    private static int Run(FileInfo data, DirectoryInfo modelDir, DirectoryInfo output)
    {
        var pairs = LungMaskExport.ReadPairs(data.FullName);
        // A template or a package in training: the tools that feed the toolkit read older schemas too.
        var manifest = ModelPackage.ReadManifest(modelDir.FullName, PackageOpenMode.Upgrade);
        ConsoleProgress.Run("export", pairs.Count, p =>
        {
            LungMaskExport.Run(pairs, manifest, output.FullName, p);
            return 0;
        });
        Console.WriteLine($"exported {pairs.Count} image/mask pairs at {manifest.Input.Width}×{manifest.Input.Height} to {output.FullName}");
        return 0;
    }
}
