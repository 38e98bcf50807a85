using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Reports;
using CxrPacsAgent.Worker.Results;

namespace CxrPacsAgent.Worker.Tests.Results;

/// <summary>A result becomes a valid TID 1500 SR and SC, with every optional part absent and with all of them present.</summary>
[Collection(SourceCollection.Name)]
public sealed class ResultDocumentsTests(SourceFixture sources) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cxr-result-docs-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Minimal_result_says_finding_score_threshold_call_model_and_intended_use()
    {
        var objects = ResultDocuments.Build(sources.Result("plain"), new ResultOptions());
        var paths = Save(objects, "minimal");
        Judges.AssertSrValid(paths[0]);
        Judges.AssertValid(paths[1]);

        var sr = objects.Report;
        Assert.Equal("UNVERIFIED", sr.GetString(DicomTags.VerificationFlag));
        Assert.Equal(DicomUids.Comprehensive3DSRStorage, sr.GetString(DicomTags.SOPClassUID));
        Assert.Contains("AI result", sr.GetString(DicomTags.SeriesDescription), StringComparison.Ordinal);
        Assert.Equal(new CodedConcept("399208008", "SCT", "Plain chest X-ray"), Results.Single<CodeItem>(sr, Codes.ProcedureReported).Code);
        Assert.Equal(new CodedConcept("233604007", "SCT", "Pneumonia"), Results.Single<CodeItem>(sr, Codes.Finding).Code);
        Assert.Equal(0.83, Results.Single<NumItem>(sr, Codes.CertaintyOfFinding).Value);
        Assert.Equal(0.5, Results.Single<NumItem>(sr, Codes.ThresholdValue).Value);
        Assert.Equal(Codes.Present, Results.Single<CodeItem>(sr, SourceFixture.Model.Finding).Code);
        Assert.Equal(Inference.Packages.DefaultModel.Name, Results.Single<TextItem>(sr, Codes.AlgorithmName).Text);
        Assert.Contains("not a COVID-19 model", Results.Single<TextItem>(sr, LocalCodes.IntendedUse).Text, StringComparison.Ordinal);
        Assert.Contains("training data: nih-cxr14-pneumonia-512", Results.Items(sr).OfType<TextItem>()
            .Single(t => t.ConceptName == Codes.AlgorithmParameters && t.Text.StartsWith("training", StringComparison.Ordinal)).Text, StringComparison.Ordinal);
        var source = Assert.Single(Results.Items(sr).OfType<ImageItem>());
        Assert.Equal(sources.Result("plain").SourceSopInstanceUid, source.Reference.SopInstanceUid);
        Assert.Equal([source.Reference.SopInstanceUid],
            EvidenceReferences.Read(sr, DicomTags.CurrentRequestedProcedureEvidenceSequence).Select(r => r.SopInstanceUid));
        Assert.Null(sr.GetSequence(DicomTags.PertinentOtherEvidenceSequence));
        Assert.Empty(Results.Items(sr).OfType<CompositeItem>());
        // AIR 6.5.3.1: the algorithm as Processing Equipment, its Device UID also the device observer's.
        var equipment = Assert.Single(sr.GetSequence(DicomTags.ContributingEquipmentSequence)!.Items);
        Assert.Equal("109102", equipment.GetSequence(DicomTags.PurposeOfReferenceCodeSequence)!.Items[0].GetString(DicomTags.CodeValue));
        Assert.Equal(Inference.Packages.DefaultModel.Name, equipment.GetString(DicomTags.ManufacturerModelName));
        // AIR Table 6.5.3.1-1: the SR tree and the Contributing Equipment item name the algorithm alike.
        Assert.Equal(Results.Single<UidRefItem>(sr, Codes.DeviceObserverUid).Uid, equipment.GetString(DicomTags.DeviceUID));
        Assert.Equal(Results.Single<TextItem>(sr, Codes.DeviceObserverManufacturer).Text, equipment.GetString(DicomTags.Manufacturer));
        Assert.Equal(Results.Single<TextItem>(sr, Codes.DeviceObserverModelName).Text, equipment.GetString(DicomTags.ManufacturerModelName));
        Assert.Equal(Results.Single<TextItem>(sr, Codes.AlgorithmVersion).Text, equipment.GetString(DicomTags.SoftwareVersions));
    }

    [Fact]
    public void A_site_version_too_long_for_the_series_description_is_cut_with_an_ellipsis_the_character_set_holds()
    {
        var plain = sources.Result("plain");
        var objects = ResultDocuments.Build(plain with { Model = plain.Model with { Version = plain.Model.Version + "-site.1" } }, new ResultOptions());
        var description = objects.Picture!.GetString(DicomTags.SeriesDescription)!;  // "AI result picture (research): …", 71 characters
        Assert.Equal(64, description.Length);
        Assert.EndsWith("...", description, StringComparison.Ordinal);  // the source names no character set: ASCII, no "…"
        Assert.EndsWith("-site.1", objects.Report.GetString(DicomTags.SeriesDescription), StringComparison.Ordinal);  // 63: whole
    }

    [Fact]
    public void Every_optional_part_shows_in_the_report_and_the_picture()
    {
        var result = Results.Full(sources.Result("plain"));
        var objects = ResultDocuments.Build(result, new ResultOptions { ChestCadReport = true });
        var paths = Save(objects, "full");
        Judges.AssertSrValid(paths[0]);
        Judges.AssertSrValid(paths[1]);
        Judges.AssertValid(paths[2]);

        var sr = objects.Report;
        // No call: the model's evaluation is Undetermined, and the limitation says why.
        Assert.Equal(Codes.Undetermined, Results.Items(sr).OfType<CodeItem>().First(c => c.ConceptName == SourceFixture.Model.Finding).Code);
        var limitations = Results.Items(sr).OfType<TextItem>().Where(t => t.ConceptName == LocalCodes.Limitation).Select(t => t.Text).ToList();
        Assert.Contains(limitations, l => l.Contains("outside the model's training distribution (distance 3.25, limit 2.5); no call", StringComparison.Ordinal));
        Assert.Contains(QualityFlag.LossySource.Text, limitations);
        Assert.Equal(0.71, Results.Single<NumItem>(sr, LocalCodes.CalibratedProbability).Value);
        Assert.Equal(3.25, Results.Single<NumItem>(sr, LocalCodes.OutOfDistributionDistance).Value);

        // Similar cases: COMPOSITE references with similarity and label, listed as Pertinent Other Evidence.
        var similarities = Results.Items(sr).OfType<NumItem>().Where(n => n.ConceptName == LocalCodes.Similarity).ToList();
        Assert.Equal(result.SimilarCases.Select(c => c.Similarity), similarities.Select(s => s.Value));
        Assert.Equal(result.SimilarCases.Select(c => c.SopInstanceUid),
            similarities.Select(s => s.Children.OfType<CompositeItem>().Single().Reference.SopInstanceUid));
        Assert.Equal([Codes.Present, Codes.Absent, Codes.Present],
            similarities.Select(s => s.Children.OfType<CodeItem>().Single().Code));
        Assert.Equal(result.SimilarCases.Select(c => (c.StudyInstanceUid, c.SeriesInstanceUid, c.SopInstanceUid)),
            EvidenceReferences.Read(sr, DicomTags.PertinentOtherEvidenceSequence).Select(r => (r.StudyInstanceUid!, r.SeriesInstanceUid!, r.SopInstanceUid)));
        // k-NN second opinion: 2 of 3, its own evaluation.
        var knnGroup = Results.Items(sr).OfType<ContainerItem>().Single(c => c.Children.OfType<TextItem>()
            .Any(t => t.ConceptName == Codes.TrackingIdentifier && t.Text.StartsWith("k-NN", StringComparison.Ordinal)));
        Assert.Equal(0.6667, knnGroup.Children.OfType<NumItem>().Single(n => n.ConceptName == Codes.CertaintyOfFinding).Value);
        Assert.Equal(Codes.Present, knnGroup.Children.OfType<CodeItem>().Single(c => c.ConceptName == SourceFixture.Model.Finding).Code);

        // Chest CAD: no call is a failed detection, never "without findings".
        var cad = ContentTreeReader.Read(objects.ChestCadReport!);
        Assert.Equal(Codes.NoneSucceededWithoutFindings, cad.Children.OfType<CodeItem>().First(c => c.ConceptName == Codes.CadProcessingAndFindingsSummary).Code);

        // The picture draws thumbnails of other studies: Burned In Annotation YES.
        Assert.Equal("YES", objects.Picture!.GetString(DicomTags.BurnedInAnnotation));
        Assert.Equal("WSD", objects.Picture.GetString(DicomTags.ConversionType));
        Assert.Equal(["DERIVED", "SECONDARY"], objects.Picture.GetStrings(DicomTags.ImageType));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Chest_cad_report_states_the_call_and_is_valid(bool call)
    {
        var objects = ResultDocuments.Build(sources.Result("plain", call ? 0.9 : 0.1, call),
            new ResultOptions { ChestCadReport = true, SecondaryCapture = false });
        Assert.Null(objects.Picture);
        var path = Save(objects, "cad-" + call)[1];
        Judges.AssertSrValid(path);
        var tree = ContentTreeReader.Read(objects.ChestCadReport!);
        var summary = tree.Children.OfType<CodeItem>().First(c => c.ConceptName == Codes.CadProcessingAndFindingsSummary);
        Assert.Equal(call ? Codes.AllSucceededWithFindings : Codes.AllSucceededWithoutFindings, summary.Code);
        Assert.Equal(call ? 90 : (double?)null, summary.Descendants().OfType<NumItem>().SingleOrDefault()?.Value);
    }

    [Fact]
    public void Source_that_declares_no_burned_in_annotation_gives_a_picture_without()
    {
        var objects = ResultDocuments.Build(sources.Result("burned-in-no"), new ResultOptions());
        Assert.Equal("NO", objects.Picture!.GetString(DicomTags.BurnedInAnnotation));
        Assert.Equal("YES", ResultDocuments.Build(sources.Result("plain"), new ResultOptions()).Picture!.GetString(DicomTags.BurnedInAnnotation));
    }

    [Fact]
    public void Bad_results_and_options_are_refused_naming_the_value()
    {
        var plain = sources.Result("plain");
        Assert.Contains("score 1.5", Assert.Throws<ArgumentException>(() => ResultDocuments.Build(plain with { Score = 1.5 }, new ResultOptions())).Message, StringComparison.Ordinal);
        Assert.Contains("5 of 3", Assert.Throws<ArgumentException>(() => ResultDocuments.Build(plain with { Knn = new KnnOpinion(3, 5) }, new ResultOptions())).Message, StringComparison.Ordinal);
        Assert.Contains("grid 1", Assert.Throws<ArgumentException>(() => ResultDocuments.Build(plain, new ResultOptions { Heatmap = new HeatmapOptions { Grid = 1 } })).Message, StringComparison.Ordinal);
        Assert.Contains("cannot hold TID 1500", Assert.Throws<ArgumentException>(() => ResultDocuments.Build(plain,
            new ResultOptions { StructuredReportSopClassUid = DicomUids.BasicTextSRStorage })).Message, StringComparison.Ordinal);
        var badCase = Results.SimilarCases()[0] with { SopInstanceUid = "1.2.03" };
        Assert.Throws<ArgumentException>(() => ResultDocuments.Build(plain with { SimilarCases = [badCase] }, new ResultOptions()));
    }

    private List<string> Save(ResultObjects objects, string name)
    {
        var paths = objects.Save(folder, name).ToList();
        if (Environment.GetEnvironmentVariable("CXR_TEST_DUMP") is { Length: > 0 } dump)
        {
            Directory.CreateDirectory(dump);
            paths.ForEach(p => File.Copy(p, Path.Combine(dump, Path.GetFileName(p)), overwrite: true));
        }
        // What was written reads back as what was built.
        Assert.Equal(objects.Report.GetString(DicomTags.SOPInstanceUID), DicomFile.Open(paths[0]).Dataset.GetString(DicomTags.SOPInstanceUID));
        return paths;
    }
}
