using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Retrieval.Patients;
using CxrPacsAgent.Worker.Retrieval;

namespace CxrPacsAgent.Worker.Cli.Index;

/// <summary>A labelled folder as <c>evaluate</c> reads it (labels.csv: path,label[,patient_id][,split]), optionally one split.</summary>
internal sealed record LabelledSet(string Name, string? Split, IReadOnlyList<LabeledImage> Rows)
{
    public static LabelledSet Read(DirectoryInfo folder, string? split)
    {
        var csv = Path.Combine(folder.FullName, "labels.csv");
        if (!File.Exists(csv))
        {
            throw new FileNotFoundException($"{folder.FullName} has no labels.csv (path,label[,patient_id][,split])");
        }
        var rows = LabelsCsv.Read(csv).Where(r => split is null || (r.Columns.TryGetValue("split", out var s) && s == split)).ToList();
        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{csv} has no rows{(split is null ? "" : $" in split '{split}'")}");
        }
        return new LabelledSet(folder.Name, split, rows);
    }

    public string Description => Split is null ? Name : $"{Name} ({Split} split)";

    /// <summary>A row's pixels and its name in the library: DICOM UIDs when it is DICOM, name-based ones for pictures.</summary>
    public (GrayImage Image, ImageIdentity Identity) Load(LabeledImage row, PatientIdHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(row);
        Radiograph radiograph;
        try
        {
            radiograph = Radiograph.Load(row.Path);
        }
        catch (DicomFormatException e)
        {
            throw new ImageException(ImageError.Unreadable, $"neither PNG/JPEG nor readable DICOM: {e.Message}", e);
        }
        var identity = radiograph.Dataset is { } dataset
            ? ImageIdentity.FromDataset(dataset, hasher)
            : ImageIdentity.ForResearchFile(Name, row.RelativePath, row.PatientId, hasher);
        return (radiograph.Image, identity);
    }
}
