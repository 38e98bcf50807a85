using System.Buffers;
using System.Net;
using System.Net.Sockets;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Network.Pdus;
using CxrPacsAgent.Dicom.Network.UpperLayer;

namespace CxrPacsAgent.Dicom.Tests.Network.UpperLayer;

/// <summary>Two upper layer connections over a loopback socket pair: the state machine driving real I/O.</summary>
public class UpperLayerConnectionTests
{
    private static readonly UpperLayerOptions Fast = UpperLayerOptions.Default with { ArtimTimeout = TimeSpan.FromMilliseconds(300) };

    private static async Task<(UpperLayerConnection Requestor, UpperLayerConnection Acceptor)> PairAsync(
        UpperLayerOptions? requestor = null, UpperLayerOptions? acceptor = null)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient { NoDelay = true };
        var connect = client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptTcpClientAsync();
        await connect;
        var a = new UpperLayerConnection(server.GetStream(), isRequestor: false, acceptor ?? Fast);
        a.OnTransportConnected();
        return (new UpperLayerConnection(client.GetStream(), isRequestor: true, requestor ?? Fast), a);
    }

    private static AssociateRequest Request(uint maxLength = 16384)
    {
        var rq = new AssociateRequest { CalledAeTitle = "ACCEPTOR", CallingAeTitle = "REQUESTOR" };
        rq.PresentationContexts.Add(new PresentationContextProposal(1, DicomUids.Verification, ["1.2.840.10008.1.2"]));
        rq.UserInformation.MaximumLength = maxLength;
        return rq;
    }

    private static AssociateAccept Accept(uint maxLength = 16384)
    {
        var ac = new AssociateAccept { CalledAeTitle = "ACCEPTOR", CallingAeTitle = "REQUESTOR" };
        ac.PresentationContexts.Add(new PresentationContextResult(1, PresentationContextResultReason.Acceptance, "1.2.840.10008.1.2"));
        ac.UserInformation.MaximumLength = maxLength;
        return ac;
    }

    private static async Task<(UpperLayerConnection Requestor, UpperLayerConnection Acceptor)> AssociatedAsync(uint requestorMax = 16384, uint acceptorMax = 16384)
    {
        var (rq, ac) = await PairAsync();
        await rq.SendAssociateRequestAsync(Request(requestorMax));
        Assert.Equal(UpperLayerIndicationKind.AssociateRequest, (await ac.ReceiveAsync()).Kind);
        Assert.Equal(AssociationState.Sta3, ac.State);
        await ac.AcceptAsync(Accept(acceptorMax));
        Assert.Equal(UpperLayerIndicationKind.AssociateAccept, (await rq.ReceiveAsync(TimeSpan.FromSeconds(5))).Kind);
        Assert.Equal(AssociationState.Sta6, rq.State);
        Assert.Equal(AssociationState.Sta6, ac.State);
        return (rq, ac);
    }

    [Fact]
    public async Task Release_collision_follows_AR_8_on_both_sides()
    {
        var (rq, ac) = await AssociatedAsync();
        await using (rq)
        await using (ac)
        {
            await Task.WhenAll(rq.SendReleaseRequestAsync().AsTask(), ac.SendReleaseRequestAsync().AsTask());
            Assert.Equal(AssociationState.Sta7, rq.State);
            Assert.Equal(UpperLayerIndicationKind.ReleaseRequest, (await rq.ReceiveAsync(TimeSpan.FromSeconds(5))).Kind);
            Assert.Equal(AssociationState.Sta9, rq.State);
            Assert.Equal(UpperLayerIndicationKind.ReleaseRequest, (await ac.ReceiveAsync(TimeSpan.FromSeconds(5))).Kind);
            Assert.Equal(AssociationState.Sta10, ac.State);
            // The requestor answers first (AR-9), the acceptor after the requestor's answer arrived (AR-10, AR-4).
            await rq.SendReleaseResponseAsync();
            Assert.Equal(AssociationState.Sta11, rq.State);
            Assert.Equal(UpperLayerIndicationKind.ReleaseConfirmation, (await ac.ReceiveAsync(TimeSpan.FromSeconds(5))).Kind);
            Assert.Equal(AssociationState.Sta12, ac.State);
            await ac.SendReleaseResponseAsync();
            Assert.Equal(AssociationState.Sta13, ac.State);
            Assert.Equal(UpperLayerIndicationKind.ReleaseConfirmation, (await rq.ReceiveAsync(TimeSpan.FromSeconds(5))).Kind);
            Assert.Equal(AssociationState.Sta1, rq.State);
            await ac.WaitForCloseAsync();
            Assert.Equal(AssociationState.Sta1, ac.State);
        }
    }

    [Fact]
    public async Task Artim_closes_sta13_when_the_peer_never_closes()
    {
        var (rq, ac) = await PairAsync();
        await using (rq)
        await using (ac)
        {
            await rq.SendAssociateRequestAsync(Request());
            await ac.ReceiveAsync();
            await ac.RejectAsync(AssociateReject.NoReasonGiven());
            Assert.Equal(AssociationState.Sta13, ac.State);
            // The requestor reads the reject but keeps its socket open; ARTIM (300 ms) ends the wait.
            var started = DateTime.UtcNow;
            await ac.WaitForCloseAsync();
            Assert.True(ac.IsClosed);
            Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(3));
            var indication = await rq.ReceiveAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(UpperLayerIndicationKind.AssociateReject, indication.Kind);
            Assert.Equal(AssociationState.Sta1, rq.State);
        }
    }

    [Fact]
    public async Task A_read_timeout_leaves_the_association_usable()
    {
        var (rq, ac) = await AssociatedAsync();
        await using (rq)
        await using (ac)
        {
            Assert.Equal(UpperLayerIndicationKind.Timeout, (await ac.ReceiveAsync(TimeSpan.FromMilliseconds(100))).Kind);
            Assert.Equal(AssociationState.Sta6, ac.State);
            await rq.SendPDataAsync(1, isCommand: true, new ReadOnlySequence<byte>(new byte[] { 1, 2, 3, 4 }));
            var indication = await ac.ReceiveAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(UpperLayerIndicationKind.PData, indication.Kind);
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, indication.PData.Values[0].Data.ToArray());
        }
    }

    [Fact]
    public async Task Data_is_cut_into_even_pdvs_that_fit_the_peers_maximum_length()
    {
        // The acceptor announces 4097 (odd on purpose): PDVs of at most 4090 bytes, even, the last one flagged.
        var (rq, ac) = await AssociatedAsync(requestorMax: 16384, acceptorMax: 4097);
        await using (rq)
        await using (ac)
        {
            var data = Enumerable.Range(0, 50_000).Select(i => (byte)i).ToArray();
            var send = rq.SendPDataAsync(1, isCommand: false, new ReadOnlySequence<byte>(data)).AsTask();
            var received = new List<byte>();
            var pdvs = new List<PresentationDataValue>();
            while (received.Count < data.Length)
            {
                var indication = await ac.ReceiveAsync(TimeSpan.FromSeconds(5));
                Assert.Equal(UpperLayerIndicationKind.PData, indication.Kind);
                foreach (var pdv in indication.PData.Values)
                {
                    pdvs.Add(pdv with { Data = new ReadOnlySequence<byte>(pdv.Data.ToArray()) });
                    received.AddRange(pdv.Data.ToArray());
                }
            }
            await send;
            Assert.Equal(data, received);
            Assert.All(pdvs, p => Assert.True(p.Data.Length <= 4090 && p.Data.Length % 2 == 0));
            Assert.All(pdvs.SkipLast(1), p => Assert.False(p.IsLastFragment));
            Assert.True(pdvs[^1].IsLastFragment);
        }
    }

    [Fact]
    public async Task An_invalid_pdu_is_answered_with_a_provider_abort_naming_it()
    {
        var (rq, ac) = await AssociatedAsync();
        await using (rq)
        await using (ac)
        {
            // A P-DATA-TF whose only PDV claims 1 byte: below the 2 header bytes every PDV has.
            var raw = (NetworkStream)typeof(UpperLayerConnection).GetField("transport", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(rq)!;
            await raw.WriteAsync(Convert.FromHexString("04000000000600000001010300"));
            var indication = await ac.ReceiveAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(UpperLayerIndicationKind.ProviderAbort, indication.Kind);
            Assert.Equal(PduRejectionReason.InvalidPdvLength, indication.Rejection);
            Assert.Equal(AssociationState.Sta13, ac.State);
            var abort = await rq.ReceiveAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(UpperLayerIndicationKind.Abort, abort.Kind);
            var pdu = Assert.IsType<Abort>(abort.Pdu);
            Assert.Equal((AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue), (pdu.Source, pdu.Reason));
            await ac.WaitForCloseAsync();
        }
    }

    [Fact]
    public async Task A_request_without_version_1_is_rejected_by_the_provider()
    {
        var (rq, ac) = await PairAsync();
        await using (rq)
        await using (ac)
        {
            var request = Request();
            request.ProtocolVersion = 0x0002;
            await rq.SendAssociateRequestAsync(request);
            var indication = await ac.ReceiveAsync();
            Assert.Equal(UpperLayerIndicationKind.AssociateRejectedByProvider, indication.Kind);
            Assert.Equal(AssociationState.Sta13, ac.State);
            var rj = await rq.ReceiveAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(AssociateRejectReason.ProtocolVersionNotSupported, Assert.IsType<AssociateReject>(rj.Pdu).Reason);
            await ac.WaitForCloseAsync();
            Assert.Equal(AssociationState.Sta1, ac.State);
        }
    }

    [Fact]
    public async Task A_peer_vanishing_is_a_provider_abort_but_after_release_it_is_the_normal_end()
    {
        var (rq, ac) = await AssociatedAsync();
        await rq.DisposeAsync();
        Assert.Equal(UpperLayerIndicationKind.ProviderAbort, (await ac.ReceiveAsync(TimeSpan.FromSeconds(5))).Kind);
        Assert.Equal(AssociationState.Sta1, ac.State);
        await ac.DisposeAsync();

        var (rq2, ac2) = await AssociatedAsync();
        await using (ac2)
        {
            await rq2.SendReleaseRequestAsync();
            Assert.Equal(UpperLayerIndicationKind.ReleaseRequest, (await ac2.ReceiveAsync(TimeSpan.FromSeconds(5))).Kind);
            await ac2.SendReleaseResponseAsync();
            Assert.Equal(UpperLayerIndicationKind.ReleaseConfirmation, (await rq2.ReceiveAsync(TimeSpan.FromSeconds(5))).Kind);
            Assert.True(rq2.IsClosed);
            Assert.Equal(UpperLayerIndicationKind.Closed, (await ac2.ReceiveAsync()).Kind);
            Assert.Equal(AssociationState.Sta1, ac2.State);
        }
    }
}
