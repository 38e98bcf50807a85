using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Worker.Results;

/// <summary>The instances one result becomes, ready to store or send; absent ones were not asked for.</summary>
public sealed record ResultObjects(DicomDataset Report, DicomDataset? ChestCadReport, DicomDataset? Picture, ResultUids Uids)
{
    /// <summary>Each instance with the file-name suffix <see cref="Save"/> gives it.</summary>
    public IEnumerable<(string Suffix, DicomDataset Dataset)> All()
    {
        yield return ("sr", Report);
        if (ChestCadReport is not null)
        {
            yield return ("cad", ChestCadReport);
        }
        if (Picture is not null)
        {
            yield return ("sc", Picture);
        }
    }

    /// <summary>Writes each as Part 10 (Explicit VR Little Endian) to <c>{folder}/{baseName}.{sr|cad|sc}.dcm</c>; returns the paths.</summary>
    public IReadOnlyList<string> Save(string folder, string baseName)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(baseName);
        Directory.CreateDirectory(folder);
        List<string> paths = [];
        foreach (var (suffix, dataset) in All())
        {
            var path = Path.Combine(folder, $"{baseName}.{suffix}.dcm");
            DicomFile.Create(dataset, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
            paths.Add(path);
        }
        return paths;
    }
}
