using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Pdus;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Intake;

namespace CxrPacsAgent.Worker.Tests.Intake;

/// <summary>What the listener negotiates with routers, through the toolkit's negotiator.</summary>
public sealed class AcceptancePolicyTests
{
    private const string Explicit = "1.2.840.10008.1.2.1";
    private const string Implicit = "1.2.840.10008.1.2";
    private const string PrivateSopClass = "1.3.46.670589.5.0.1";

    private static PresentationContextResult Negotiate(AcceptorPolicy policy, string sopClass, params string[] syntaxes) =>
        AssociationNegotiator.Negotiate(new PresentationContextProposal(1, sopClass, syntaxes), policy);

    [Fact]
    public void By_default_every_storage_class_standard_or_private_is_accepted_in_its_best_syntax()
    {
        var policy = AcceptancePolicy.For(new DicomOptions());
        Assert.Equal("CXR_AGENT", policy.AeTitle);
        foreach (var sopClass in new[] { DicomUids.DigitalXRayImageStorageForPresentation, DicomUids.CTImageStorage,
                     DicomUids.KeyObjectSelectionDocumentStorage, DicomUids.GrayscaleSoftcopyPresentationStateStorage, PrivateSopClass })
        {
            var result = Negotiate(policy, sopClass, Implicit, Explicit);
            Assert.True(result.IsAccepted, sopClass);
            Assert.Equal(Explicit, result.TransferSyntax);
        }
        // Not storage: query/retrieve is refused, as is a proposal with no syntax we know.
        Assert.False(Negotiate(policy, DicomUids.StudyRootQueryRetrieveInformationModelFind, Implicit).IsAccepted);
        Assert.Equal(PresentationContextResultReason.TransferSyntaxesNotSupported,
            Negotiate(policy, DicomUids.CTImageStorage, "1.2.3.4.5").Result);
        Assert.True(Negotiate(policy, DicomUids.Verification, Implicit).IsAccepted);
    }

    [Fact]
    public void Refusing_unwanted_instances_narrows_negotiation_to_chest_radiography()
    {
        var policy = AcceptancePolicy.For(new DicomOptions { RefuseUnwanted = true });
        Assert.True(Negotiate(policy, DicomUids.ComputedRadiographyImageStorage, Implicit).IsAccepted);
        Assert.True(Negotiate(policy, DicomUids.DigitalXRayImageStorageForPresentation, Explicit).IsAccepted);
        Assert.Equal(PresentationContextResultReason.AbstractSyntaxNotSupported, Negotiate(policy, DicomUids.CTImageStorage, Explicit).Result);
        Assert.False(Negotiate(policy, PrivateSopClass, Explicit).IsAccepted);
    }

    [Fact]
    public void The_allow_list_and_called_title_check_come_from_the_options()
    {
        var policy = AcceptancePolicy.For(new DicomOptions
        {
            AeTitle = "SITE_AGENT",
            CheckCalledAeTitle = false,
            AllowedCallingAeTitles = ["ROUTER", "MODALITY@10.1.2.3"],
        });
        Assert.Equal("SITE_AGENT", policy.AeTitle);
        Assert.False(policy.CheckCalledAeTitle);
        Assert.Equal([new AllowedCallingAe("ROUTER"), new AllowedCallingAe("MODALITY", "10.1.2.3")], policy.AllowedCallingAes!);
        Assert.Null(AcceptancePolicy.For(new DicomOptions()).AllowedCallingAes);
    }
}
