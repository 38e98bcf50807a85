using System.Collections.Concurrent;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Imaging.Tests.TestSupport;
using Xunit.Abstractions;

namespace CxrPacsAgent.Imaging.Tests.Filtering;

/// <summary>
/// The view filter must not drop the sick: on every shared labelled set (all frontal films, read as the service reads
/// PNG/JPEG — the image decides), each class is skipped at most 1 % of the time, so the gap between classes stays
/// within 1 percentage point. Classes: the diagnosis label, or the view for the adult lung-mask set.
/// </summary>
public sealed class SkipRateBalanceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("kermany-pneumonia-224", "labels.csv", "path", "label")]
    [InlineData("nih-cxr14-pneumonia-512", "labels.csv", "path", "label")]
    [InlineData("lungseg-adult-v7", "idx.csv", "img", "view")]
    public void Each_class_is_skipped_at_most_one_percent_of_the_time(string set, string csv, string pathColumn, string classColumn)
    {
        var lines = File.ReadAllLines(TestData.Path(set, csv));
        var header = lines[0].Split(',');
        int p = Array.IndexOf(header, pathColumn), c = Array.IndexOf(header, classColumn);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        var skipped = new ConcurrentBag<(string Class, string Path, string Why)>();
        Parallel.ForEach(rows, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, row =>
        {
            var (image, view) = RadiographLoader.LoadForClassification(TestData.Path(set, row[p]));
            if (image is null)
            {
                skipped.Add((row[c], row[p], view.ToString()));
            }
        });
        foreach (var group in rows.GroupBy(r => r[c]))
        {
            var n = group.Count();
            var k = skipped.Count(s => s.Class == group.Key);
            output.WriteLine($"{set} {group.Key}: {k} of {n} skipped ({100.0 * k / n:0.00} %)");
            Assert.True(k <= n / 100.0, $"{set} {group.Key}: {k} of {n} skipped: {string.Join("; ", skipped.Where(s => s.Class == group.Key).Take(5))}");
        }
    }
}
