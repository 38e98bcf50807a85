using System.CommandLine;
using System.Globalization;
using CxrPacsAgent.Evaluation.Calibration;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent calibrate --model PKG --data DIR --out PKG2 [--split S] [--target-sensitivity X]</c>: refits a package's
/// calibration and operating threshold on a site's labelled cases (C#, no Python), into a new package.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "model package to start from", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "folder with labels.csv (path,label[,patient_id,split,...]); DICOM, PNG or JPEG", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "new package folder (must not exist or be empty)", Required = true };
        var split = new Option<string?>("--split") { Description = "only rows whose 'split' column has this value" };
        var target = new Option<double>("--target-sensitivity") { Description = "the threshold keeps at least this sensitivity on the cases", DefaultValueFactory = _ => 0.9 };
        var version = new Option<string?>("--version") { Description = "version of the new package (default: the next patch version)" };
        var command = new Command("calibrate", "Refit a package's calibration and operating threshold on labelled cases")
        {
            model, data, output, split, target, version,
        };
        command.SetAction(r => CliErrors.Guard(() => PackageErrors.Guard(() => Run(r.GetValue(model)!, r.GetValue(data)!, r.GetValue(output)!,
            r.GetValue(split), r.GetValue(target), r.GetValue(version)))));
        return command;
    }

    private static int Run(DirectoryInfo modelDir, DirectoryInfo data, DirectoryInfo output, string? split, double target, string? version)
    {
        if (!(target > 0 && target <= 1))
        {
            Console.Error.WriteLine($"error: --target-sensitivity {target.ToString(CultureInfo.InvariantCulture)} is not in (0, 1]");
            return CliErrors.InvalidInput;
        }
        var rows = LabelledData.Rows(data, split);
        var factory = new SessionFactory(new InferenceOptions { IntraOpThreads = 1 }, NullLogger.Instance);
        using var model = CxrModel.Load(ModelPackage.Load(modelDir.FullName, PackageOpenMode.Upgrade), factory);
        var options = new CalibrateOptions(output.FullName, target, data.Name, split, LabelledData.CommandLine(), version);
        var (package, r) = ConsoleProgress.Run("calibrate", rows.Count, p => Calibrator.Run(model, rows, options, p));
        var op = r.OperatingPoint;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{package.DisplayName}: Platt slope {r.Slope:F4} intercept {r.Intercept:F4} on {r.Scored} cases ({r.Positives} {model.Manifest.PositiveLabel}, {r.Skipped} skipped); ECE {r.Before.Ece:F4} -> {r.After.Ece:F4} (in sample), {r.OutOfFold.Ece:F4} cross-fitted by patient (Brier {r.OutOfFold.Brier:F4})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"threshold {op.Threshold:F4} for sensitivity >= {op.TargetSensitivity:F2}: sensitivity {op.Sensitivity:F4}, specificity {op.Specificity:F4} (in sample)"));
        Console.WriteLine($"wrote {package.Folder}");
        return 0;
    }
}
