using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Worker.State;

namespace CxrPacsAgent.Worker.Pipeline;

/// <summary>
/// One instance on its way through the pipeline: the job as recorded, and what each stage has found so far. The
/// recorded parts (<see cref="Score"/>, <see cref="SimilarStudies"/>) come back from the state store after a restart;
/// the rest lives only in memory and is computed again when needed.
/// </summary>
public sealed class WorkItem(JobRecord job, string spoolPath)
{
    public JobRecord Job { get; } = job ?? throw new ArgumentNullException(nameof(job));

    public JobRef Ref => Job.Ref;

    /// <summary>The received instance in the spool.</summary>
    public string SpoolPath { get; } = spoolPath;

    /// <summary>When the item entered the pipeline (Stopwatch timestamp).</summary>
    public long Started { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>The received file (header read, pixel data read when first used). Filter.</summary>
    public DicomFile? Source { get; set; }

    /// <summary>The source pixels were compressed with loss. Filter.</summary>
    public bool LossySource { get; set; }

    /// <summary>The radiograph as displayed (Modality/VOI LUT applied). Filter or preprocess.</summary>
    public GrayImage? Image { get; set; }

    /// <summary>Cropped, standardised, resized image and lung map. Preprocess.</summary>
    public PreprocessResult? Preprocessed { get; set; }

    /// <summary>The model's input tensor (CHW), dropped once scored. Preprocess.</summary>
    public InputTensor? ModelInput { get; set; }

    /// <summary>Score and embedding. Infer; recorded.</summary>
    public ScoreRecord? Score { get; set; } = job.Score;

    /// <summary>The similar studies found, as JSON. Retrieve; recorded.</summary>
    public string? SimilarStudies { get; set; } = job.SimilarStudies;

    /// <summary>The result documents written. Report.</summary>
    public IReadOnlyList<ResultDocument> Documents { get; set; } = [];
}
