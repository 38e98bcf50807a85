using System.Buffers;
using CsCheck;
using CxrPacsAgent.Dicom.Network.Pdus;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Network.Pdus;

public class PduWriterTests
{
    public static TheoryData<string> CapturedFixtures => new()
    {
        nameof(PduFixtures.StorescpAssociateAccept),
        nameof(PduFixtures.EchoscuEchoRequest),
        nameof(PduFixtures.StorescpEchoResponse),
        nameof(PduFixtures.EchoscuReleaseRequest),
        nameof(PduFixtures.StorescpReleaseResponse),
        nameof(PduFixtures.EchoscuAbort),
        nameof(PduFixtures.StorescuStoreCommand),
        nameof(PduFixtures.OrthancAssociateReject),
    };

    private static byte[] Fixture(string name) =>
        (byte[])typeof(PduFixtures).GetField(name)!.GetValue(null)!;

    [Theory]
    [MemberData(nameof(CapturedFixtures))]
    public void Captured_pdus_are_rewritten_byte_for_byte(string name)
    {
        var bytes = Fixture(name);
        Assert.Equal(bytes, PduWriter.ToArray(PduBytes.Read(bytes)));
    }

    [Fact]
    public void Echoscu_request_is_rewritten_with_its_reserved_byte_as_zero()
    {
        // DCMTK sends FFH in the third reserved byte of a presentation context item; it is "not tested" (PS3.8 9.3.2.2).
        var expected = (byte[])PduFixtures.EchoscuAssociateRequest.Clone();
        var index = Convert.ToHexString(expected).IndexOf("2000002E0100FF00", StringComparison.Ordinal) / 2;
        expected[index + 6] = 0;
        Assert.Equal(expected, PduWriter.ToArray(PduBytes.Read(PduFixtures.EchoscuAssociateRequest)));
    }

    [Fact]
    public void Hand_assembled_sub_items_are_rewritten_byte_for_byte()
    {
        var rq = PduBytes.WithUserInformation(HandAssembled.RequestUserInformation);
        Assert.Equal(rq, PduWriter.ToArray(PduBytes.Read(rq)));
        Assert.Equal(HandAssembled.AcceptWithUserIdentityResponse,
            PduWriter.ToArray(PduBytes.Read(HandAssembled.AcceptWithUserIdentityResponse)));
        var getscu = PduBytes.WithUserInformation(PduFixtures.GetscuUserInformation);
        Assert.Equal(getscu, PduWriter.ToArray(PduBytes.Read(getscu)));
    }

    [Fact]
    public void Reject_and_abort_encode_their_fields_in_place()
    {
        Assert.Equal(Convert.FromHexString("03000000000400020302"), PduWriter.ToArray(AssociateReject.LocalLimitExceeded()));
        Assert.Equal(Convert.FromHexString("03000000000400010103"), PduWriter.ToArray(AssociateReject.CallingAeTitleNotRecognized()));
        Assert.Equal(Convert.FromHexString("03000000000400010202"), PduWriter.ToArray(AssociateReject.ProtocolVersionNotSupported()));
        Assert.Equal(Convert.FromHexString("07000000000400000206"), PduWriter.ToArray(Abort.ByServiceProvider(AbortReason.InvalidPduParameterValue)));
    }

    [Fact]
    public void Pdata_headers_written_apart_match_the_whole_pdu_writer()
    {
        var pdu = (PDataTransfer)PduBytes.Read(PduFixtures.EchoscuEchoRequest);
        var pdv = pdu.Values[0];
        var bytes = new byte[12 + pdv.Data.Length];
        PduWriter.WritePDataHeader(bytes, (uint)(6 + pdv.Data.Length));
        PduWriter.WritePdvHeader(bytes.AsSpan(6), (int)pdv.Data.Length, pdv.PresentationContextId, pdv.IsCommand, pdv.IsLastFragment);
        pdv.Data.CopyTo(bytes.AsSpan(12));
        Assert.Equal(PduFixtures.EchoscuEchoRequest, bytes);
    }

    [Fact]
    public void Ae_titles_that_do_not_fit_the_field_are_not_written()
    {
        var rq = (AssociateRequest)PduBytes.Read(PduFixtures.EchoscuAssociateRequest);
        foreach (var bad in new[] { "SEVENTEEN_CHARS_X", "LINE\nFEED", "CAFÉ" })
        {
            rq.CallingAeTitle = bad;
            Assert.Throws<ArgumentException>(() => PduWriter.ToArray(rq));
        }
        // Whatever a peer sent is echoed (found by fuzzing: a backslash in an RQ once broke the AC).
        rq.CallingAeTitle = "ROU\\TER";
        Assert.Equal("ROU\\TER", ((AssociateRequest)PduBytes.Read(PduWriter.ToArray(rq))).CallingAeTitle);
        Assert.False(AeTitle.IsValid("ROU\\TER"));
        Assert.False(AeTitle.IsValid("   "));
        Assert.True(AeTitle.IsValid("CXRAGENT"));
    }

    private static readonly Gen<string> Uid = Gen.Int[1, 999].Array[2, 12].Select(parts => string.Join('.', parts));

    private static readonly Gen<string> Title = Gen.Char['A', 'Z'].Array[1, 16].Select(chars => new string(chars));

    [Fact]
    public void Random_associate_requests_round_trip()
    {
        var proposal = Gen.Select(Uid, Uid.List[1, 5]);
        var generator = Gen.Select(Title, Title, proposal.List[1, 20], Gen.UInt, Gen.Bool, Gen.Byte.Array[0, 40]);
        generator.Sample((called, calling, proposals, max, async, passcode) =>
        {
            var rq = new AssociateRequest { CalledAeTitle = called, CallingAeTitle = calling };
            for (var i = 0; i < proposals.Count; i++)
            {
                rq.PresentationContexts.Add(new PresentationContextProposal((byte)(2 * i + 1), proposals[i].Item1, proposals[i].Item2));
            }
            rq.UserInformation.MaximumLength = max;
            rq.UserInformation.ImplementationClassUid = "1.2.3";
            if (async)
            {
                rq.UserInformation.AsynchronousOperationsWindow = new AsynchronousOperationsWindow(2, 0);
                rq.UserInformation.RoleSelections.Add(new RoleSelection(proposals[0].Item1, true, false));
            }
            rq.UserInformation.UserIdentity = new UserIdentityNegotiation(UserIdentityType.UsernameAndPasscode, async, "u"u8.ToArray(), passcode);
            var bytes = PduWriter.ToArray(rq);
            var back = (AssociateRequest)PduBytes.Read(bytes, PduReaderLimits.For(16384));
            Assert.Equal(called, back.CalledAeTitle);
            Assert.Equal(calling, back.CallingAeTitle);
            Assert.Equal(proposals.Count, back.PresentationContexts.Count);
            Assert.Equal(proposals[^1].Item2, back.PresentationContexts[^1].TransferSyntaxes);
            Assert.Equal(max, back.UserInformation.MaximumLength);
            Assert.Equal(passcode, back.UserInformation.UserIdentity!.SecondaryField.ToArray());
            Assert.Equal(bytes, PduWriter.ToArray(back));
        }, iter: 500);
    }
}
