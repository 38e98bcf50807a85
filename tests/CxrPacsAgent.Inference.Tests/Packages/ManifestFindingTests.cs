using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Inference.Tests.Packages;

/// <summary>model.json's optional `finding` (the code the DICOM SR names): read when given, refused when incomplete.</summary>
public sealed class ManifestFindingTests
{
    [Fact]
    public void Shipped_package_names_pneumonia_in_snomed_ct()
    {
        var finding = ModelPackage.Load(DefaultModel.Folder).Manifest.Finding;
        Assert.NotNull(finding);
        Assert.Equal(("233604007", "SCT", "Pneumonia"), (finding.CodeValue, finding.CodingSchemeDesignator, finding.CodeMeaning));
    }

    [Fact]
    public void A_package_without_finding_still_loads()
    {
        using var model = CxrModel.Load(TestPackages.Create(), new InferenceOptions(), NullLogger.Instance);
        Assert.Null(model.Manifest.Finding);
    }

    [Theory]
    [InlineData("code_value")]
    [InlineData("coding_scheme_designator")]
    [InlineData("code_meaning")]
    public void An_incomplete_finding_is_refused_naming_the_field(string field)
    {
        var complete = new FindingSpec { CodeValue = "233604007", CodingSchemeDesignator = "SCT", CodeMeaning = "Pneumonia" };
        var finding = field switch
        {
            "code_value" => complete with { CodeValue = "" },
            "coding_scheme_designator" => complete with { CodingSchemeDesignator = " " },
            _ => complete with { CodeMeaning = "" },
        };
        var folder = TestPackages.Create(TestPackages.Manifest("model.onnx") with { Finding = finding });
        var e = Assert.Throws<ModelPackageException>(() =>
        {
            using var model = CxrModel.Load(folder, new InferenceOptions(), NullLogger.Instance);
        });
        Assert.Equal(ModelPackageError.FieldMissing, e.Error);
        Assert.Contains("finding." + field, e.Message, StringComparison.Ordinal);
    }
}
