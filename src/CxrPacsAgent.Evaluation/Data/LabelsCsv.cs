namespace CxrPacsAgent.Evaluation.Data;

/// <summary>
/// Reads <c>labels.csv</c>: a header with at least <c>path,label</c> (optional <c>patient_id</c>, other columns kept).
/// Paths are relative to the CSV's folder. Values are plain (no quoted commas): the toolkit writes them that way.
/// </summary>
public static class LabelsCsv
{
    /// <summary>labels.csv of <paramref name="folder"/>, or, without one, every file below it unlabelled (DICOM sets whose
    /// labels are keyed by SOP Instance UID are joined later, by the toolkit).</summary>
    public static IReadOnlyList<LabeledImage> ReadFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var csv = System.IO.Path.Combine(folder, "labels.csv");
        if (File.Exists(csv))
        {
            return Read(csv);
        }
        return [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(CxrPacsAgent.Imaging.Sources.RadiographLoader.IsCandidate)
            .Order(StringComparer.Ordinal)
            .Select(f => new LabeledImage(f, System.IO.Path.GetRelativePath(folder, f), null, null, new Dictionary<string, string>()))];
    }

    public static IReadOnlyList<LabeledImage> Read(string csvPath)
    {
        ArgumentNullException.ThrowIfNull(csvPath);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(csvPath))!;
        using var reader = new StreamReader(csvPath);
        var header = (reader.ReadLine() ?? throw new InvalidDataException($"{csvPath} is empty")).Trim().Split(',');
        var pathIndex = Array.IndexOf(header, "path");
        if (pathIndex < 0)
        {
            throw new InvalidDataException($"{csvPath}: the header needs a 'path' column (found: {string.Join(',', header)})");
        }
        var labelIndex = Array.IndexOf(header, "label");
        var patientIndex = Array.IndexOf(header, "patient_id");
        var rows = new List<LabeledImage>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            var fields = line.Split(',');
            if (fields.Length != header.Length)
            {
                throw new InvalidDataException($"{csvPath}:{lineNumber}: {fields.Length} fields, header has {header.Length}");
            }
            var columns = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                columns[header[i]] = fields[i];
            }
            var relative = fields[pathIndex];
            rows.Add(new LabeledImage(System.IO.Path.Combine(folder, relative), relative,
                labelIndex >= 0 ? fields[labelIndex] : null, patientIndex >= 0 ? fields[patientIndex] : null, columns));
        }
        return rows;
    }
}
