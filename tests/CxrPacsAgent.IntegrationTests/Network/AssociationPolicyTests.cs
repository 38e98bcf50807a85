using System.Globalization;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Network;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Client;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Pdus;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;

namespace CxrPacsAgent.IntegrationTests.Network;

/// <summary>Who may associate and on what terms: each A-ASSOCIATE-RJ reason of PS3.8 Table 9-21 we give, provoked.</summary>
public class AssociationPolicyTests
{
    private static Task<(int, string)> EchoscuAsync(int port, string calling, string called) =>
        PeerProcess.RunAsync("echoscu", ["-aet", calling, "-aec", called, Loopback.Host, port.ToString(CultureInfo.InvariantCulture)]);

    private static async Task<AssociateReject> RejectOfAsync(TestServer scp, string called, Action<AssociateRequest>? change = null)
    {
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        var rq = new AssociateRequest { CalledAeTitle = called, CallingAeTitle = "RAWPEER" };
        rq.PresentationContexts.Add(RawPeer.Verification());
        rq.UserInformation.MaximumLength = 16384;
        change?.Invoke(rq);
        await peer.SendAsync(rq);
        return Assert.IsType<AssociateReject>(await peer.ReadPduAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_wrong_called_ae_title_is_rejected_as_not_recognized()
    {
        await using var scp = await TestServer.StartAsync();
        var (code, output) = await EchoscuAsync(scp.Port, "ECHOSCU", "SOMEONEELSE");
        Assert.NotEqual(0, code);
        Assert.Contains("Called AE Title Not Recognized", output, StringComparison.Ordinal);
        var rj = await RejectOfAsync(scp, "SOMEONEELSE");
        Assert.Equal((AssociateRejectResult.RejectedPermanent, AssociateRejectSource.ServiceUser, AssociateRejectReason.CalledAeTitleNotRecognized),
            (rj.Result, rj.Source, rj.Reason));
        // Checking can be switched off, as a plain receiver may want.
        await using var open = await TestServer.StartAsync(o => o with { Policy = o.Policy with { CheckCalledAeTitle = false } });
        Assert.Equal(0, (await EchoscuAsync(open.Port, "ECHOSCU", "SOMEONEELSE")).Item1);
    }

    [Fact]
    public async Task The_calling_ae_allow_list_checks_title_and_host()
    {
        await using var scp = await TestServer.StartAsync(o => o with
        {
            Policy = o.Policy with
            {
                AllowedCallingAes = [new("ROUTER", "127.0.0.1"), new("ELSEWHERE", "10.99.99.99"), new("ANYHOST"), new("BYNAME", "localhost")],
            },
        });
        Assert.Equal(0, (await EchoscuAsync(scp.Port, "ROUTER", TestServer.AeTitle)).Item1);
        Assert.Equal(0, (await EchoscuAsync(scp.Port, "ANYHOST", TestServer.AeTitle)).Item1);
        Assert.Equal(0, (await EchoscuAsync(scp.Port, "BYNAME", TestServer.AeTitle)).Item1);
        foreach (var stranger in new[] { "ELSEWHERE", "INTRUDER" })
        {
            var (code, output) = await EchoscuAsync(scp.Port, stranger, TestServer.AeTitle);
            Assert.NotEqual(0, code);
            Assert.Contains("Calling AE Title Not Recognized", output, StringComparison.Ordinal);
        }
        Assert.Equal(2, scp.Statistics.AssociationsRejected);
    }

    [Fact]
    public async Task Ae_titles_the_standard_forbids_are_rejected_not_dropped()
    {
        // Found by fuzzing: a backslash in a calling AE title once broke the A-ASSOCIATE-AC and left the peer unanswered.
        await using var scp = await TestServer.StartAsync();
        foreach (var calling in new[] { "ROU\\TER", "" })
        {
            var rj = await RejectOfAsync(scp, TestServer.AeTitle, rq => rq.CallingAeTitle = calling);
            Assert.Equal(AssociateRejectReason.CallingAeTitleNotRecognized, rj.Reason);
        }
        var called = await RejectOfAsync(scp, "", null);
        Assert.Equal(AssociateRejectReason.CalledAeTitleNotRecognized, called.Reason);
        Assert.DoesNotContain("unexpectedly", scp.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_protocol_version_and_application_context_are_rejected()
    {
        await using var scp = await TestServer.StartAsync();
        var version = await RejectOfAsync(scp, TestServer.AeTitle, rq => rq.ProtocolVersion = 2);
        Assert.Equal((AssociateRejectSource.ServiceProviderAcse, AssociateRejectReason.ProtocolVersionNotSupported), (version.Source, version.Reason));
        var context = await RejectOfAsync(scp, TestServer.AeTitle, rq => rq.ApplicationContextName = "1.2.3.4");
        Assert.Equal(AssociateRejectReason.ApplicationContextNameNotSupported, context.Reason);
    }

    [Fact]
    public async Task User_identity_is_checked_when_a_validator_is_configured()
    {
        await using var scp = await TestServer.StartAsync(o => o with
        {
            Policy = o.Policy with
            {
                RequireUserIdentity = true,
                UserIdentityValidator = id => id.IdentityType == UserIdentityType.UsernameAndPasscode
                    && id.PrimaryField.Span.SequenceEqual("router"u8) && id.SecondaryField.Span.SequenceEqual("s3cret"u8),
            },
        });
        UserIdentityNegotiation Identity(string passcode) => new(UserIdentityType.UsernameAndPasscode, true,
            "router"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes(passcode));
        var options = new DicomClientOptions { CalledAeTitle = TestServer.AeTitle, UserIdentity = Identity("s3cret") };
        PresentationContextProposal[] echo = [RawPeer.Verification()];
        await using (var client = await DicomClient.ConnectAsync(Loopback.Host, scp.Port, echo, options))
        {
            Assert.Equal(DimseStatus.Success, await client.EchoAsync());
            await client.ReleaseAsync();
        }
        var wrong = await Assert.ThrowsAsync<AssociationRejectedException>(() =>
            DicomClient.ConnectAsync(Loopback.Host, scp.Port, echo, options with { UserIdentity = Identity("guess") }));
        // PS3.7 D.3.3.7: a refused identity is rejected-permanent by the ACSE service-provider (source 2), no-reason-given.
        Assert.Equal(AssociateRejectResult.RejectedPermanent, wrong.Reject!.Result);
        Assert.Equal(AssociateRejectSource.ServiceProviderAcse, wrong.Reject.Source);
        Assert.Equal(AssociateRejectReason.AcseNoReasonGiven, wrong.Reject.Reason);
        await Assert.ThrowsAsync<AssociationRejectedException>(() =>
            DicomClient.ConnectAsync(Loopback.Host, scp.Port, echo, options with { UserIdentity = null }));
        // The positive response asked for comes back as a 59H sub-item, and the passcode never reaches the log.
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        var rq = new AssociateRequest { CalledAeTitle = TestServer.AeTitle, CallingAeTitle = "RAWPEER" };
        rq.PresentationContexts.Add(RawPeer.Verification());
        rq.UserInformation.MaximumLength = 16384;
        rq.UserInformation.UserIdentity = Identity("s3cret");
        await peer.SendAsync(rq);
        var ac = Assert.IsType<AssociateAccept>(await peer.ReadPduAsync(TimeSpan.FromSeconds(5)));
        Assert.NotNull(ac.UserInformation.UserIdentityServerResponse);
        Assert.DoesNotContain("s3cret", scp.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("guess", scp.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negotiation_items_are_answered_as_PS3_7_D_3_3_says()
    {
        await using var scp = await TestServer.StartAsync(o => o with
        {
            Policy = o.Policy with
            {
                AcceptAnyStorageSopClass = false,
                AcceptedSopClasses = [DicomUids.DigitalXRayImageStorageForPresentation, DicomUids.ComputedRadiographyImageStorage],
                TransferSyntaxPreference = [DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid],
                PreferProposerOrder = false,
            },
        });
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        var rq = new AssociateRequest { CalledAeTitle = TestServer.AeTitle, CallingAeTitle = "RAWPEER" };
        var ile = DicomTransferSyntax.ImplicitVRLittleEndian.Uid;
        var ele = DicomTransferSyntax.ExplicitVRLittleEndian.Uid;
        rq.PresentationContexts.Add(new(1, DicomUids.DigitalXRayImageStorageForPresentation, [ile, ele]));
        rq.PresentationContexts.Add(new(3, DicomUids.CTImageStorage, [ele]));
        rq.PresentationContexts.Add(new(5, DicomUids.DigitalXRayImageStorageForPresentation, [DicomTransferSyntax.JpegBaseline8Bit.Uid]));
        rq.PresentationContexts.Add(new(7, DicomUids.ComputedRadiographyImageStorage, [ile]));
        rq.UserInformation.MaximumLength = 0;
        rq.UserInformation.AsynchronousOperationsWindow = new AsynchronousOperationsWindow(5, 5);
        rq.UserInformation.RoleSelections.Add(new RoleSelection(DicomUids.DigitalXRayImageStorageForPresentation, true, true));
        rq.UserInformation.RoleSelections.Add(new RoleSelection(DicomUids.ComputedRadiographyImageStorage, false, true));
        rq.UserInformation.ExtendedNegotiations.Add(new SopClassExtendedNegotiation(DicomUids.DigitalXRayImageStorageForPresentation, new byte[6]));
        await peer.SendAsync(rq);
        var ac = Assert.IsType<AssociateAccept>(await peer.ReadPduAsync(TimeSpan.FromSeconds(5)));
        var results = ac.PresentationContexts.ToDictionary(pc => pc.Id);
        // Our preference, not the proposer's, picks the syntax.
        Assert.Equal((PresentationContextResultReason.Acceptance, ele), (results[1].Result, results[1].TransferSyntax));
        Assert.Equal(PresentationContextResultReason.AbstractSyntaxNotSupported, results[3].Result);
        Assert.Equal(PresentationContextResultReason.TransferSyntaxesNotSupported, results[5].Result);
        // The requestor proposed only the SCP role for CR: not a role this SCP can give it.
        Assert.Equal(PresentationContextResultReason.UserRejection, results[7].Result);
        Assert.Equal(new AsynchronousOperationsWindow(1, 1), ac.UserInformation.AsynchronousOperationsWindow);
        var role = Assert.Single(ac.UserInformation.RoleSelections);
        Assert.Equal((DicomUids.DigitalXRayImageStorageForPresentation, true, false), (role.SopClassUid, role.ScuRole, role.ScpRole));
        var extended = Assert.Single(ac.UserInformation.ExtendedNegotiations);
        Assert.Equal(new byte[] { 2, 0, 0, 0, 0, 0 }, extended.ServiceClassApplicationInformation.ToArray());
        Assert.Equal(Dicom.DicomImplementation.ClassUid, ac.UserInformation.ImplementationClassUid);
        Assert.Equal(Dicom.DicomImplementation.VersionName, ac.UserInformation.ImplementationVersionName);
    }
}
