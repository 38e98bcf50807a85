namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>
/// Metrics per value of every extra labels.csv column (view, source, subtype, …): whether the model holds up in each
/// part of the data, not only on average. A column qualifies when it is not one of the file's own columns (path, label,
/// patient_id, split) and has 2 to <see cref="MaxValues"/> distinct values, fewer than it has rows (an id or checksum
/// column has one value per image).
/// </summary>
public static class Subgroups
{
    public const int MaxValues = 20;

    private static readonly HashSet<string> Reserved = ["path", "label", "patient_id", "split"];

    /// <param name="images">The scored images.</param>
    /// <param name="skipped">Each skipped image's labels.csv columns (counted per subgroup too).</param>
    /// <param name="threshold">Decision threshold.</param>
    public static IReadOnlyList<SubgroupRow> Table(IReadOnlyList<ScoredImage> images, IReadOnlyList<IReadOnlyDictionary<string, string>> skipped,
        double threshold)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(skipped);
        var columns = images.SelectMany(i => i.Columns.Keys).Concat(skipped.SelectMany(s => s.Keys)).Distinct(StringComparer.Ordinal)
            .Where(c => !Reserved.Contains(c)).Order(StringComparer.Ordinal);
        var rows = new List<SubgroupRow>();
        foreach (var column in columns)
        {
            var values = images.Select(i => i.Columns.GetValueOrDefault(column, "")).Concat(skipped.Select(s => s.GetValueOrDefault(column, "")))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            if (values.Length < 2 || values.Length > MaxValues || values.Length == images.Count + skipped.Count)
            {
                continue;
            }
            foreach (var value in values)
            {
                var members = images.Where(i => i.Columns.GetValueOrDefault(column, "") == value).ToArray();
                var metrics = BinaryMetrics.Compute(members.Select(m => m.Score).ToArray(), members.Select(m => m.Truth).ToArray(), threshold);
                rows.Add(new SubgroupRow(column, value, metrics, members.Count(m => m.OutOfDistribution),
                    skipped.Count(s => s.GetValueOrDefault(column, "") == value)));
            }
        }
        return rows;
    }
}
