using System.Buffers;
using CsCheck;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Pdus;

using CxrPacsAgent.Dicom.Tests.TestSupport;
using static CxrPacsAgent.Dicom.Tests.TestSupport.PduBytes;

namespace CxrPacsAgent.Dicom.Tests.Network.Pdus;

public class PduReaderTests
{
    private static readonly PduReaderLimits Limits = PduReaderLimits.For(16384);

    private static PduRejectionReason Reject(byte[] bytes, PduReaderLimits? limits = null)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var status = PduReader.TryRead(ref reader, limits ?? Limits, out var pdu, out var rejection);
        Assert.Equal(PduReadStatus.Rejected, status);
        Assert.Null(pdu);
        Assert.Equal(0, reader.Consumed);
        return rejection;
    }

    [Fact]
    public void Echoscu_associate_request_has_every_field()
    {
        var rq = Assert.IsType<AssociateRequest>(Read(PduFixtures.EchoscuAssociateRequest));
        Assert.Equal(1, rq.ProtocolVersion);
        Assert.Equal("STORESCP", rq.CalledAeTitle);
        Assert.Equal("ECHOSCU", rq.CallingAeTitle);
        Assert.Equal(ApplicationContext.Dicom, rq.ApplicationContextName);
        var pc = Assert.Single(rq.PresentationContexts);
        Assert.Equal(1, pc.Id);
        Assert.Equal("1.2.840.10008.1.1", pc.AbstractSyntax);
        Assert.Equal(["1.2.840.10008.1.2"], pc.TransferSyntaxes);
        Assert.Equal(16384u, rq.UserInformation.MaximumLength);
        Assert.Equal("1.2.276.0.7230010.3.0.3.6.7", rq.UserInformation.ImplementationClassUid);
        Assert.Equal("OFFIS_DCMTK_367", rq.UserInformation.ImplementationVersionName);
        Assert.Null(rq.UserInformation.AsynchronousOperationsWindow);
        Assert.Null(rq.UserInformation.UserIdentity);
    }

    [Fact]
    public void Storescp_associate_accept_has_every_field()
    {
        var ac = Assert.IsType<AssociateAccept>(Read(PduFixtures.StorescpAssociateAccept));
        Assert.Equal("STORESCP", ac.CalledAeTitle);
        var pc = Assert.Single(ac.PresentationContexts);
        Assert.Equal(1, pc.Id);
        Assert.True(pc.IsAccepted);
        Assert.Equal("1.2.840.10008.1.2", pc.TransferSyntax);
        Assert.Equal(16384u, ac.UserInformation.MaximumLength);
        Assert.Equal("OFFIS_DCMTK_367", ac.UserInformation.ImplementationVersionName);
    }

    [Fact]
    public void Echo_request_pdata_carries_a_last_command_fragment_that_decodes()
    {
        var pd = Assert.IsType<PDataTransfer>(Read(PduFixtures.EchoscuEchoRequest));
        var pdv = Assert.Single(pd.Values);
        Assert.Equal(1, pdv.PresentationContextId);
        Assert.True(pdv.IsCommand);
        Assert.True(pdv.IsLastFragment);
        Assert.Equal(0x44, pdv.Data.Length);
        Assert.True(CommandSet.TryDecode(pdv.Data, out var command, out var error), error);
        Assert.Equal((CommandField.CEchoRequest, false), DimseMessage.ReadHeader(command));
        var echo = CEchoRequest.FromCommand(command);
        Assert.Equal(1, echo.MessageId);
        Assert.Equal("1.2.840.10008.1.1", echo.AffectedSopClassUid);
    }

    [Fact]
    public void Storescu_store_command_decodes_to_a_cstore_request()
    {
        var pd = Assert.IsType<PDataTransfer>(Read(PduFixtures.StorescuStoreCommand));
        var pdv = Assert.Single(pd.Values);
        Assert.Equal(0x25, pdv.PresentationContextId);
        Assert.True(CommandSet.TryDecode(pdv.Data, out var command, out var error), error);
        var store = CStoreRequest.FromCommand(command);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.1", store.AffectedSopClassUid);
        Assert.Equal("1.3.6.1.4.1.5962.1.1.0.0.0.1196527414.5534.0.11", store.AffectedSopInstanceUid);
        Assert.True(DimseMessage.ReadHeader(command).HasDataset);
    }

    [Fact]
    public void Echo_response_has_status_success()
    {
        var pdv = Assert.Single(Assert.IsType<PDataTransfer>(Read(PduFixtures.StorescpEchoResponse)).Values);
        Assert.True(CommandSet.TryDecode(pdv.Data, out var command, out _));
        var rsp = CEchoResponse.FromCommand(command);
        Assert.Equal(1, rsp.MessageIdBeingRespondedTo);
        Assert.Equal(DimseStatus.Success, rsp.Status);
    }

    [Fact]
    public void Release_and_abort_pdus_parse()
    {
        Assert.IsType<ReleaseRequest>(Read(PduFixtures.EchoscuReleaseRequest));
        Assert.IsType<ReleaseResponse>(Read(PduFixtures.StorescpReleaseResponse));
        var abort = Assert.IsType<Abort>(Read(PduFixtures.EchoscuAbort));
        Assert.Equal(AbortSource.ServiceUser, abort.Source);
        Assert.Equal(AbortReason.ReasonNotSpecified, abort.Reason);
    }

    [Fact]
    public void Orthanc_reject_names_called_ae_title_not_recognized()
    {
        var rj = Assert.IsType<AssociateReject>(Read(PduFixtures.OrthancAssociateReject));
        Assert.Equal(AssociateRejectResult.RejectedPermanent, rj.Result);
        Assert.Equal(AssociateRejectSource.ServiceUser, rj.Source);
        Assert.Equal(AssociateRejectReason.CalledAeTitleNotRecognized, rj.Reason);
        Assert.Equal("called-AE-title-not-recognized", rj.Reason.Describe());
    }

    [Fact]
    public void Getscu_role_selections_propose_scp_role_only()
    {
        var rq = Assert.IsType<AssociateRequest>(Read(WithUserInformation(PduFixtures.GetscuUserInformation)));
        Assert.Equal(2, rq.UserInformation.RoleSelections.Count);
        var role = rq.UserInformation.RoleSelections[0];
        Assert.Equal("1.2.840.10008.5.1.4.1.1.9.1.3", role.SopClassUid);
        Assert.False(role.ScuRole);
        Assert.True(role.ScpRole);
    }

    [Fact]
    public void Hand_assembled_sub_items_of_PS3_7_D_3_3_parse()
    {
        var rq = Assert.IsType<AssociateRequest>(Read(WithUserInformation(HandAssembled.RequestUserInformation)));
        var ui = rq.UserInformation;
        Assert.Equal(new AsynchronousOperationsWindow(3, 1), ui.AsynchronousOperationsWindow);
        var en = Assert.Single(ui.ExtendedNegotiations);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.1", en.SopClassUid);
        Assert.Equal(new byte[] { 2, 0, 0, 0, 1, 0 }, en.ServiceClassApplicationInformation.ToArray());
        var cen = Assert.Single(ui.CommonExtendedNegotiations);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.1.1", cen.SopClassUid);
        Assert.Equal("1.2.840.10008.4.2", cen.ServiceClassUid);
        Assert.Equal(["1.2.840.10008.5.1.4.1.1.1"], cen.RelatedGeneralSopClassUids);
        var id = ui.UserIdentity!;
        Assert.Equal(UserIdentityType.UsernameAndPasscode, id.IdentityType);
        Assert.True(id.PositiveResponseRequested);
        Assert.Equal("alice"u8.ToArray(), id.PrimaryField.ToArray());
        Assert.Equal("secret"u8.ToArray(), id.SecondaryField.ToArray());

        var ac = Assert.IsType<AssociateAccept>(Read(HandAssembled.AcceptWithUserIdentityResponse));
        Assert.Equal("ok"u8.ToArray(), ac.UserInformation.UserIdentityServerResponse!.Value.ToArray());
    }

    [Fact]
    public void Unrecognized_items_are_skipped()
    {
        // An item of type 7FH with 3 bytes between the presentation context and the user information.
        var rq = Assert.IsType<AssociateRequest>(Read(WithUserInformation([0x7F, 0, 0, 3, 1, 2, 3, .. PduFixtures.GetscuUserInformation])));
        Assert.Equal(2, rq.UserInformation.RoleSelections.Count);
    }

    [Fact]
    public void A_hostile_length_is_refused_from_the_header_alone()
    {
        byte[] header = [0x04, 0x00, 0xFF, 0xFF, 0xFF, 0xFF];
        Assert.Equal(PduRejectionReason.PduTooLong, Reject(header));
        Assert.Equal(PduRejectionReason.PduTooLong, Reject([0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF]));
        Assert.Equal(PduRejectionReason.InvalidPduLength, Reject([0x07, 0x00, 0xFF, 0xFF, 0xFF, 0xFF]));
        Assert.Equal(PduRejectionReason.UnrecognizedPduType, Reject([0x08, 0x00, 0x00, 0x00, 0x00, 0x04]));
        Assert.Equal(PduRejectionReason.UnrecognizedPduType, Reject([0x00, 0x00, 0x00, 0x00, 0x00, 0x00]));
    }

    [Fact]
    public void Pdata_limit_is_the_announced_maximum_length()
    {
        var pdu = PduFixtures.EchoscuEchoRequest;
        Read(pdu, PduReaderLimits.For(0x4A));
        Assert.Equal(PduRejectionReason.PduTooLong, Reject(pdu, PduReaderLimits.For(0x49)));
    }

    public static TheoryData<string, PduRejectionReason> Malformed => new()
    {
        // Fixed-length PDUs of another length.
        { "050000000005 0000000000", PduRejectionReason.InvalidPduLength },
        { "030000000003 000101", PduRejectionReason.InvalidPduLength },
        // A-ASSOCIATE-RQ shorter than its fixed fields.
        { "010000000004 00010000", PduRejectionReason.InvalidPduLength },
        // P-DATA-TF: PDV length 1, PDV length beyond the PDU, no PDV at all, a truncated PDV length.
        { "040000000006 000000010103", PduRejectionReason.InvalidPdvLength },
        { "040000000008 000000100103AAAA", PduRejectionReason.ItemOverrunsContainer },
        { "040000000000", PduRejectionReason.EmptyPData },
        { "040000000003 000000", PduRejectionReason.ItemOverrunsContainer },
    };

    [Fact]
    public void Ae_titles_lose_their_space_and_nul_padding_and_keep_everything_else()
    {
        var bytes = PduFixtures.EchoscuAssociateRequest.ToArray();
        "CXR\0\0\0\0\0\0\0\0\0\0\0\0\0"u8.CopyTo(bytes.AsSpan(10));
        " A\nB\0           "u8.CopyTo(bytes.AsSpan(26));
        var rq = (AssociateRequest)Read(bytes);
        Assert.Equal("CXR", rq.CalledAeTitle);
        // The line feed stays, for the acceptor to refuse the title; only padding goes.
        Assert.Equal("A\nB", rq.CallingAeTitle);
        Assert.False(AeTitle.IsValid(rq.CallingAeTitle));
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_pdus_are_rejected_with_their_reason(string hex, PduRejectionReason expected) =>
        Assert.Equal(expected, Reject(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal))));

    [Fact]
    public void Malformed_associate_requests_are_rejected_with_their_reason()
    {
        var pc = ProposalItem(1, "1.2.840.10008.1.1", "1.2.840.10008.1.2");
        var ui = PduFixtures.GetscuUserInformation;
        var app = UidItem(0x10, "1.2.840.10008.3.1.1.1");
        Assert.Equal(PduRejectionReason.MissingApplicationContext, Reject(Associate([.. pc, .. ui])));
        Assert.Equal(PduRejectionReason.MissingPresentationContext, Reject(Associate([.. app, .. ui])));
        Assert.Equal(PduRejectionReason.MissingUserInformation, Reject(Associate([.. app, .. pc])));
        Assert.Equal(PduRejectionReason.DuplicateItem, Reject(Associate([.. app, .. pc, .. ui, .. ui])));
        Assert.Equal(PduRejectionReason.DuplicateItem, Reject(Associate([.. app, .. app, .. pc, .. ui])));
        Assert.Equal(PduRejectionReason.InvalidPresentationContextId, Reject(Associate([.. app, .. ProposalItem(2, "1.2", "1.2"), .. ui])));
        Assert.Equal(PduRejectionReason.DuplicatePresentationContextId,
            Reject(Associate([.. app, .. pc, .. ProposalItem(3, "1.2", "1.2"), .. ProposalItem(1, "1.3", "1.2"), .. ui])));
        Assert.Equal(PduRejectionReason.InvalidUid, Reject(Associate([.. app, .. ProposalItem(1, "1.2.x", "1.2"), .. ui])));
        Assert.Equal(PduRejectionReason.InvalidUid, Reject(Associate([.. app, .. ProposalItem(1, new string('1', 65), "1.2"), .. ui])));
        Assert.Equal(PduRejectionReason.MissingTransferSyntax, Reject(Associate([.. app, .. ProposalItem(1, "1.2"), .. ui])));
        Assert.Equal(PduRejectionReason.MissingAbstractSyntax, Reject(Associate([.. app, .. Item(0x20, [1, 0, 0, 0, .. UidItem(0x40, "1.2")]), .. ui])));
        // An AC presentation context in an RQ.
        Assert.Equal(PduRejectionReason.UnexpectedItem, Reject(Associate([.. app, .. Item(0x21, [1, 0, 0, 0, .. UidItem(0x40, "1.2")]), .. ui])));
        // An item longer than what is left of the PDU.
        Assert.Equal(PduRejectionReason.ItemOverrunsContainer, Reject(Associate([.. app, .. pc, 0x50, 0, 0x10, 0])));
        // Maximum Length with 3 bytes.
        Assert.Equal(PduRejectionReason.InvalidItemLength, Reject(Associate([.. app, .. pc, .. Item(0x50, Item(0x51, [0, 0, 1]))])));
        // A trailing NUL in a UID is tolerated (older peers pad).
        var padded = Assert.IsType<AssociateRequest>(Read(Associate([.. app, .. ProposalItem(1, "1.2.3\0", "1.2"), .. ui])));
        Assert.Equal("1.2.3", padded.PresentationContexts[0].AbstractSyntax);
    }

    [Fact]
    public void Every_prefix_of_a_pdu_is_incomplete_and_consumes_nothing()
    {
        foreach (var fixture in new[] { PduFixtures.EchoscuAssociateRequest, PduFixtures.StorescpAssociateAccept, PduFixtures.EchoscuEchoRequest, PduFixtures.OrthancAssociateReject })
        {
            for (var n = 0; n < fixture.Length; n++)
            {
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(fixture, 0, n));
                Assert.Equal(PduReadStatus.Incomplete, PduReader.TryRead(ref reader, Limits, out _, out _));
                Assert.Equal(0, reader.Consumed);
            }
        }
    }

    [Fact]
    public void Pdus_split_into_one_byte_segments_parse_the_same()
    {
        var bytes = (byte[])[.. PduFixtures.EchoscuAssociateRequest, .. PduFixtures.EchoscuEchoRequest];
        var reader = new SequenceReader<byte>(Segments.Split(bytes, 1));
        Assert.Equal(PduReadStatus.Complete, PduReader.TryRead(ref reader, Limits, out var first, out _));
        Assert.Equal(PduFixtures.EchoscuAssociateRequest.Length, reader.Consumed);
        Assert.Equal(PduReadStatus.Complete, PduReader.TryRead(ref reader, Limits, out var second, out _));
        Assert.True(reader.End);
        Assert.Equal("STORESCP", ((AssociateRequest)first!).CalledAeTitle);
        var pdv = Assert.Single(((PDataTransfer)second!).Values);
        Assert.True(CommandSet.TryDecode(pdv.Data, out _, out _));
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        Gen.Byte.Array[0, 400].Sample(bytes =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
            PduReader.TryRead(ref reader, Limits, out _, out _);
        }, iter: 20000);
        // Mutations of a real RQ reach deeper than uniform noise.
        Gen.Int[0, PduFixtures.EchoscuAssociateRequest.Length - 1].Array[1, 8].Select(Gen.Byte.Array[8]).Sample((positions, values) =>
        {
            var bytes = (byte[])PduFixtures.EchoscuAssociateRequest.Clone();
            for (var i = 0; i < positions.Length; i++)
            {
                bytes[positions[i]] = values[i];
            }
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
            PduReader.TryRead(ref reader, Limits, out _, out _);
        }, iter: 20000);
    }
}
