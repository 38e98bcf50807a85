using CxrPacsAgent.Dicom.Reports;
using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Worker.Results;

/// <summary>Which model said it, and what it may and may not be used for: what the SR's algorithm identification and limitations say.</summary>
/// <param name="Name">Package name.</param>
/// <param name="Version">Package version.</param>
/// <param name="Finding">The coded finding a positive score names.</param>
/// <param name="PositiveLabel">The package's positive label (e.g. "PNEUMONIA").</param>
/// <param name="NegativeLabel">Its negative label (e.g. "NORMAL").</param>
/// <param name="Task">What the score means, from the model card (e.g. "... not a COVID-19 model").</param>
/// <param name="TrainingData">The training data, in words.</param>
public sealed record ModelIdentity(string Name, string Version, CodedConcept Finding, string PositiveLabel, string NegativeLabel,
    string Task, string TrainingData)
{
    /// <summary>The intended use the SR and picture state.</summary>
    public string IntendedUse => $"Research use only; not for diagnostic use. Model task: {Task}.";

    /// <summary>From model.json; a package without a <c>finding</c> gets a private code named after its positive label.</summary>
    public static ModelIdentity FromManifest(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var finding = manifest.Finding is { } f
            ? new CodedConcept(f.CodeValue, f.CodingSchemeDesignator, f.CodeMeaning)
            : LocalCodes.UnnamedFinding(manifest.PositiveLabel);
        var training = manifest.TrainingData?["dataset"]?.ToString()
            ?? manifest.TrainingData?.ToJsonString() ?? "not stated by the package";
        return new ModelIdentity(manifest.Name, manifest.Version, finding, manifest.PositiveLabel, manifest.NegativeLabel,
            manifest.Task, training);
    }
}
