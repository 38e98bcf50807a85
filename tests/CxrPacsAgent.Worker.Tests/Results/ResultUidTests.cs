using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Worker.Results;

namespace CxrPacsAgent.Worker.Tests.Results;

/// <summary>Reprocessing the same source with the same model version gives the same instances; anything else gives new ones.</summary>
[Collection(SourceCollection.Name)]
public sealed class ResultUidTests(SourceFixture sources)
{
    [Fact]
    public void Same_source_and_model_version_give_the_same_uids_whatever_else_changes()
    {
        var first = ResultDocuments.Build(sources.Result("plain"), new ResultOptions { ChestCadReport = true });
        var retry = ResultDocuments.Build(sources.Result("plain", score: 0.2, call: false) with { CompletedAt = DateTimeOffset.Now },
            new ResultOptions { ChestCadReport = true, Heatmap = new HeatmapOptions { Enabled = false } });
        Assert.Equal(Uids(first), Uids(retry));
        Assert.Equal(7, Uids(first).Distinct().Count());
        Assert.All(Uids(first), u => Assert.True(DicomUid.IsValid(u) && u.StartsWith("2.25.", StringComparison.Ordinal), u));
        Assert.Equal(first.Uids.Report, first.Report.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal(first.Uids.ReportSeries, first.Report.GetString(DicomTags.SeriesInstanceUID));
        Assert.Equal(first.Uids.Picture, first.Picture!.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal(first.Uids.PictureSeries, first.Picture.GetString(DicomTags.SeriesInstanceUID));
    }

    [Fact]
    public void Another_model_version_or_source_instance_gives_other_uids()
    {
        var plain = sources.Result("plain");
        var baseline = Uids(ResultDocuments.Build(plain, new ResultOptions()));
        var newVersion = Uids(ResultDocuments.Build(plain with { Model = plain.Model with { Version = plain.Model.Version + "-next" } }, new ResultOptions()));
        var otherSource = Uids(ResultDocuments.Build(sources.Result("latin1"), new ResultOptions()));
        Assert.Empty(baseline.Intersect(newVersion));
        // Another instance of another series: nothing shared either.
        Assert.Empty(baseline.Intersect(otherSource));
    }

    private static string[] Uids(ResultObjects o) =>
        [o.Uids.Report, o.Uids.ChestCadReport, o.Uids.Picture, o.Uids.ReportSeries, o.Uids.PictureSeries, o.Uids.ModelTracking, o.Uids.KnnTracking];
}
