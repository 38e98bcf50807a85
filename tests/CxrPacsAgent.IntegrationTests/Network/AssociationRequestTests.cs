using System.Text;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Network;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Pdus;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;

namespace CxrPacsAgent.IntegrationTests.Network;

/// <summary>
/// A-ASSOCIATE-RQs that real peers send now and then, byte by byte: AE titles padded with NULs or carrying control
/// characters, a presentation context ID used twice, and user identities of each type.
/// </summary>
public class AssociationRequestTests
{
    /// <summary>An A-ASSOCIATE-RQ for Verification whose 16-byte AE title fields are exactly the bytes given.</summary>
    private static byte[] RequestWithTitles(byte[] called, byte[] calling, Action<AssociateRequest>? change = null)
    {
        var rq = new AssociateRequest { CalledAeTitle = "CALLED", CallingAeTitle = "CALLING" };
        rq.PresentationContexts.Add(RawPeer.Verification());
        rq.UserInformation.MaximumLength = 16384;
        change?.Invoke(rq);
        var bytes = PduWriter.ToArray(rq);
        // PDU header (6), protocol version (2), reserved (2), then called and calling AE title (PS3.8 Table 9-11).
        called.CopyTo(bytes.AsSpan(10, 16));
        calling.CopyTo(bytes.AsSpan(26, 16));
        return bytes;
    }

    private static byte[] Field(string title, char pad) => Encoding.Latin1.GetBytes(title.PadRight(16, pad));

    private static async Task<Pdu> AnswerAsync(TestServer scp, byte[] request)
    {
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(request);
        return await peer.ReadPduAsync(TimeSpan.FromSeconds(5)) ?? throw new IOException("closed without an answer");
    }

    [Fact]
    public async Task Ae_titles_padded_with_nuls_are_trimmed_like_spaces()
    {
        await using var scp = await TestServer.StartAsync();
        var ac = Assert.IsType<AssociateAccept>(await AnswerAsync(scp,
            RequestWithTitles(Field(TestServer.AeTitle, '\0'), Field("NULPADDED", '\0'))));
        // The AC repeats the titles, now without their NULs.
        Assert.Equal((TestServer.AeTitle, "NULPADDED"), (ac.CalledAeTitle, ac.CallingAeTitle));
        await scp.WaitIdleAsync();
        Assert.Contains("NULPADDED->CXRTEST", scp.Log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ROU\nTER")]
    [InlineData("A\0B")]
    [InlineData("\u001b[31mRED")]
    [InlineData("CAF\u00c9")]
    public async Task Control_characters_in_either_ae_title_are_refused(string title)
    {
        // Called-AE checking off: an invalid called title is refused all the same, as the calling one is.
        await using var scp = await TestServer.StartAsync(o => o with { Policy = o.Policy with { CheckCalledAeTitle = false } });
        var calling = Assert.IsType<AssociateReject>(await AnswerAsync(scp, RequestWithTitles(Field(TestServer.AeTitle, ' '), Field(title, ' '))));
        Assert.Equal((AssociateRejectResult.RejectedPermanent, AssociateRejectReason.CallingAeTitleNotRecognized), (calling.Result, calling.Reason));
        var called = Assert.IsType<AssociateReject>(await AnswerAsync(scp, RequestWithTitles(Field(title, ' '), Field("ROUTER", ' '))));
        Assert.Equal(AssociateRejectReason.CalledAeTitleNotRecognized, called.Reason);
        await scp.WaitIdleAsync();
        Assert.Equal(1, scp.Statistics.Count(AssociationRejection.CallingAeTitleInvalid));
        Assert.Equal(1, scp.Statistics.Count(AssociationRejection.CalledAeTitle));
        // The log shows the titles, but a peer's control characters cannot split or colour a log line.
        Assert.All(scp.LogLines, l => Assert.DoesNotContain(l, c => char.IsControl(c) || c > '~'));
        Assert.Contains("not a valid AE title", scp.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_presentation_context_id_used_twice_is_refused_before_any_ac()
    {
        await using var scp = await TestServer.StartAsync();
        var request = RequestWithTitles(Field(TestServer.AeTitle, ' '), Field("TWICE", ' '), rq =>
            rq.PresentationContexts.Add(new(1, DicomUids.DigitalXRayImageStorageForPresentation, [Dicom.IO.DicomTransferSyntax.ExplicitVRLittleEndian.Uid])));
        // Invalid PDU on a fresh connection: AA-1, an A-ABORT, and never an A-ASSOCIATE-AC.
        Assert.IsType<Abort>(await AnswerAsync(scp, request));
        await scp.WaitIdleAsync();
        Assert.Equal(1, scp.Statistics.Count(AssociationFailure.InvalidPdu));
        Assert.Contains(nameof(PduRejectionReason.DuplicatePresentationContextId), scp.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpectedly", scp.Log, StringComparison.Ordinal);
        Assert.Equal(0, scp.Statistics.AssociationsAccepted);
    }

    [Theory]
    [InlineData(UserIdentityType.Username, true)]
    [InlineData(UserIdentityType.UsernameAndPasscode, true)]
    [InlineData(UserIdentityType.KerberosServiceTicket, false)]
    [InlineData(UserIdentityType.SamlAssertion, false)]
    [InlineData(UserIdentityType.JsonWebToken, false)]
    public async Task The_server_response_follows_the_identity_type(UserIdentityType type, bool zeroLength)
    {
        await using var scp = await TestServer.StartAsync(o => o with { Policy = o.Policy with { UserIdentityValidator = _ => true } });
        var ac = await AcceptWithIdentityAsync(scp, type);
        // Zero length for a username (PS3.7 D.3.3.7.2); for a ticket, assertion or token an empty response would be
        // wrong, so without a responder there is none.
        Assert.Equal(zeroLength, ac.UserInformation.UserIdentityServerResponse is { Length: 0 });
        Assert.Equal(zeroLength, ac.UserInformation.UserIdentityServerResponse is not null);

        await using var responding = await TestServer.StartAsync(o => o with
        {
            Policy = o.Policy with { UserIdentityValidator = _ => true, UserIdentityServerResponse = _ => "signed-response"u8.ToArray() },
        });
        var answered = await AcceptWithIdentityAsync(responding, type);
        Assert.Equal(zeroLength ? "" : "signed-response", Encoding.ASCII.GetString(answered.UserInformation.UserIdentityServerResponse!.Value.Span));
    }

    private static async Task<AssociateAccept> AcceptWithIdentityAsync(TestServer scp, UserIdentityType type)
    {
        var request = RequestWithTitles(Field(TestServer.AeTitle, ' '), Field("IDENTITY", ' '), rq =>
            rq.UserInformation.UserIdentity = new UserIdentityNegotiation(type, positiveResponseRequested: true, "credential"u8.ToArray(),
                type == UserIdentityType.UsernameAndPasscode ? "passcode"u8.ToArray() : ReadOnlyMemory<byte>.Empty));
        return Assert.IsType<AssociateAccept>(await AnswerAsync(scp, request));
    }
}
