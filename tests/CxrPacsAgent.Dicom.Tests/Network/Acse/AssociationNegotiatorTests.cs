using System.Net;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Tests.Network.Acse;

public class AssociationNegotiatorTests
{
    private const string Ile = "1.2.840.10008.1.2";
    private const string Ele = "1.2.840.10008.1.2.1";
    private const string Jpeg = "1.2.840.10008.1.2.4.70";
    private const string Lossy = "1.2.840.10008.1.2.4.50";

    private static readonly AcceptorPolicy Policy = new()
    {
        AeTitle = "ME",
        AcceptedSopClasses = [DicomUids.DigitalXRayImageStorageForPresentation, DicomUids.ComputedRadiographyImageStorage],
    };

    private static AssociateRequest Request(params PresentationContextProposal[] proposals)
    {
        var rq = new AssociateRequest { CalledAeTitle = "ME", CallingAeTitle = "THEM" };
        rq.PresentationContexts.AddRange(proposals);
        rq.UserInformation.MaximumLength = 16384;
        return rq;
    }

    [Fact]
    public void Our_preference_order_decides_unless_the_proposers_is_preferred()
    {
        var proposal = new PresentationContextProposal(1, DicomUids.DigitalXRayImageStorageForPresentation, [Jpeg, Ile, Ele]);
        Assert.Equal(Ele, AssociationNegotiator.Negotiate(proposal, Policy).TransferSyntax);
        Assert.Equal(Jpeg, AssociationNegotiator.Negotiate(proposal, Policy with { PreferProposerOrder = true }).TransferSyntax);
        // The proposer's order never brings in a syntax we did not list.
        var lossyFirst = new PresentationContextProposal(1, DicomUids.DigitalXRayImageStorageForPresentation, [Lossy, Ile]);
        var onlyLossless = Policy with { PreferProposerOrder = true, TransferSyntaxPreference = [Ele, Ile, Jpeg] };
        Assert.Equal(Ile, AssociationNegotiator.Negotiate(lossyFirst, onlyLossless).TransferSyntax);
    }

    [Fact]
    public void Verification_is_always_accepted_storage_only_when_listed()
    {
        var verification = AssociationNegotiator.Negotiate(new(1, DicomUids.Verification, [Ile]), Policy with { AcceptedSopClasses = [], TransferSyntaxPreference = [] });
        Assert.True(verification.IsAccepted);
        var ct = new PresentationContextProposal(3, DicomUids.CTImageStorage, [Ele]);
        Assert.Equal(PresentationContextResultReason.AbstractSyntaxNotSupported, AssociationNegotiator.Negotiate(ct, Policy).Result);
        Assert.True(AssociationNegotiator.Negotiate(ct, Policy with { AcceptAnyStorageSopClass = true }).IsAccepted);
        var unknown = new PresentationContextProposal(5, "1.2.3.4.5", [Ele]);
        Assert.False(AssociationNegotiator.Negotiate(unknown, Policy with { AcceptAnyStorageSopClass = true }).IsAccepted);
    }

    [Fact]
    public void A_selector_chooses_the_syntax_and_private_classes_are_accepted_only_when_asked()
    {
        var proposal = new PresentationContextProposal(1, DicomUids.CTImageStorage, [Ile, Lossy, Ele]);
        var choosing = Policy with { AcceptAnyStorageSopClass = true, TransferSyntaxSelector = p => p[1] };
        Assert.Equal(Lossy, AssociationNegotiator.Negotiate(proposal, choosing).TransferSyntax);
        var refusing = choosing with { TransferSyntaxSelector = _ => null };
        Assert.Equal(PresentationContextResultReason.TransferSyntaxesNotSupported, AssociationNegotiator.Negotiate(proposal, refusing).Result);
        // A selector cannot bring in a syntax the proposer did not offer.
        var inventing = choosing with { TransferSyntaxSelector = _ => Jpeg };
        Assert.False(AssociationNegotiator.Negotiate(proposal, inventing).IsAccepted);
        // Verification keeps the uncompressed syntaxes whatever the selector says.
        Assert.Equal(Ile, AssociationNegotiator.Negotiate(new(3, DicomUids.Verification, [Ile]), refusing).TransferSyntax);

        var vendor = new PresentationContextProposal(5, "1.3.46.670589.5.0.1", [Ele]);
        Assert.False(AssociationNegotiator.Negotiate(vendor, Policy with { AcceptAnyStorageSopClass = true }).IsAccepted);
        Assert.True(AssociationNegotiator.Negotiate(vendor, Policy with { AcceptPrivateSopClasses = true }).IsAccepted);
        Assert.False(AssociationNegotiator.Negotiate(new(7, DicomUids.StudyRootQueryRetrieveInformationModelFind, [Ele]),
            Policy with { AcceptPrivateSopClasses = true }).IsAccepted);
    }

    [Fact]
    public async Task Duplicate_context_ids_are_refused_and_limits_announced()
    {
        var rq = Request(new(1, DicomUids.Verification, [Ile]), new(1, DicomUids.Verification, [Ele]));
        var decision = await AssociationNegotiator.NegotiateAsync(rq, IPAddress.Loopback, Policy, 65536);
        Assert.True(decision.IsAccepted);
        var results = decision.Accept!.PresentationContexts;
        Assert.True(results[0].IsAccepted);
        Assert.Equal(PresentationContextResultReason.NoReason, results[1].Result);
        Assert.Equal(65536u, decision.Accept.UserInformation.MaximumLength);
        Assert.Null(decision.Accept.UserInformation.AsynchronousOperationsWindow);
    }

    [Fact]
    public async Task The_allow_list_matches_ae_title_and_address()
    {
        var policy = Policy with { AllowedCallingAes = [new("THEM", "192.168.7.7")] };
        var rq = Request(new PresentationContextProposal(1, DicomUids.Verification, [Ile]));
        Assert.True((await AssociationNegotiator.NegotiateAsync(rq, IPAddress.Parse("192.168.7.7"), policy, 1000)).IsAccepted);
        // An IPv4 peer accepted on a dual-stack socket shows up as an IPv4-mapped IPv6 address.
        Assert.True((await AssociationNegotiator.NegotiateAsync(rq, IPAddress.Parse("::ffff:192.168.7.7"), policy, 1000)).IsAccepted);
        var other = await AssociationNegotiator.NegotiateAsync(rq, IPAddress.Parse("192.168.7.8"), policy, 1000);
        Assert.Equal(AssociateRejectReason.CallingAeTitleNotRecognized, other.Reject!.Reason);
        rq.CallingAeTitle = "SOMEONE";
        Assert.False((await AssociationNegotiator.NegotiateAsync(rq, IPAddress.Parse("192.168.7.7"), policy, 1000)).IsAccepted);
    }

    [Fact]
    public async Task Rejections_name_the_first_problem_in_the_standards_terms()
    {
        var rq = Request(new PresentationContextProposal(1, DicomUids.Verification, [Ile]));
        rq.CalledAeTitle = "OTHER";
        var called = await AssociationNegotiator.NegotiateAsync(rq, null, Policy, 1000);
        Assert.Equal(AssociateRejectResult.RejectedPermanent, called.Reject!.Result);
        Assert.Equal(AssociateRejectReason.CalledAeTitleNotRecognized, called.Reject.Reason);
        Assert.Contains("OTHER", called.Explanation, StringComparison.Ordinal);
        rq.ApplicationContextName = "1.2.3";
        Assert.Equal(AssociateRejectReason.ApplicationContextNameNotSupported,
            (await AssociationNegotiator.NegotiateAsync(rq, null, Policy, 1000)).Reject!.Reason);
    }
}
