using CxrPacsAgent.Evaluation.Metrics;

namespace CxrPacsAgent.Evaluation.Tests.Metrics;

public sealed class SubgroupsTests
{
    private static ScoredImage Image(int i, string view, string md5) => new($"{i}", i % 2 == 0, i % 2 == 0 ? 0.8 : 0.2, [0f])
    {
        Columns = new Dictionary<string, string> { ["path"] = $"{i}", ["label"] = "x", ["split"] = "val", ["view"] = view, ["md5"] = md5 },
        OutOfDistribution = view == "AP" && i < 2,
    };

    [Fact]
    public void One_row_per_value_of_each_extra_column_with_its_own_metrics()
    {
        var images = Enumerable.Range(0, 8).Select(i => Image(i, i < 4 ? "AP" : "PA", $"hash{i}")).ToArray();
        var rows = Subgroups.Table(images, [], 0.5);
        // path, label and split are the file's own columns; md5 has one value per image.
        Assert.Equal(["AP", "PA"], rows.Select(r => r.Value));
        Assert.All(rows, r => Assert.Equal("view", r.Column));
        Assert.Equal(4, rows[0].Metrics.N);
        Assert.Equal(1.0, rows[0].Metrics.Accuracy);
        Assert.Equal(2, rows[0].OodFlagged);
        Assert.Equal(0, rows[1].OodFlagged);
    }

    [Fact]
    public void Skipped_images_count_in_their_subgroup()
    {
        var images = Enumerable.Range(0, 4).Select(i => Image(i, "PA", "h")).ToArray();
        var rows = Subgroups.Table(images, [new Dictionary<string, string> { ["view"] = "LL" }], 0.5);
        var ll = Assert.Single(rows, r => r.Value == "LL");
        Assert.Equal(1, ll.Skipped);
        Assert.Equal(0, ll.Metrics.N);
    }
}
