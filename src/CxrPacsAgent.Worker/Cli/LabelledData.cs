using CxrPacsAgent.Evaluation.Data;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>The labelled-data options the measuring verbs share: --data DIR (with labels.csv) and --split.</summary>
internal static class LabelledData
{
    /// <summary>labels.csv rows of <paramref name="data"/>, only those whose 'split' column is <paramref name="split"/> when given.</summary>
    public static IReadOnlyList<LabeledImage> Rows(DirectoryInfo data, string? split)
    {
        var csv = Path.Combine(data.FullName, "labels.csv");
        if (!File.Exists(csv))
        {
            throw new FileNotFoundException($"{csv} does not exist: --data needs a folder with labels.csv (path,label[,patient_id,...])");
        }
        var rows = LabelsCsv.Read(csv);
        if (split is null)
        {
            return rows;
        }
        var selected = rows.Where(r => r.Columns.TryGetValue("split", out var s) && s == split).ToArray();
        return selected.Length > 0 ? selected : throw new InvalidDataException($"{csv} has no rows whose 'split' column is '{split}'");
    }

    /// <summary>The data set's name and split as reports and model.json record them.</summary>
    public static string Describe(DirectoryInfo data, string? split) => $"{data.Name}{(split is null ? "" : $" ({split} split)")}";

    /// <summary>The command line as typed (after the program name), for the fit records.</summary>
    public static string CommandLine() => "cxr-agent " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)
        .SkipWhile(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
}
