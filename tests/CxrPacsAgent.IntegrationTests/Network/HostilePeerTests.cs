using System.Diagnostics;
using System.Globalization;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Network;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Client;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Pdus;
using CxrPacsAgent.Dicom.Network.UpperLayer;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;

namespace CxrPacsAgent.IntegrationTests.Network;

/// <summary>
/// Faulty and hostile peers against our SCP. After each: the server still serves, nothing partial is where finished
/// files go, and the temp folder is empty. Two tests measure the managed heap, which is the whole process's: the class
/// runs alone (<see cref="HeapMeasuringCollection"/>), so other tests' allocations do not count against it.
/// </summary>
[Collection(HeapMeasuringCollection.Name)]
public class HostilePeerTests
{
    private static readonly string Ele = DicomTransferSyntax.ExplicitVRLittleEndian.Uid;

    private static DicomClientOptions ClientOptions(int maxPdu = 16384) => new()
    {
        CallingAeTitle = "GOODSCU",
        CalledAeTitle = TestServer.AeTitle,
        AcseTimeout = TimeSpan.FromSeconds(5),
        DimseTimeout = TimeSpan.FromSeconds(10),
        UpperLayer = UpperLayerOptions.Default with { MaxSendPduLength = (uint)maxPdu },
    };

    /// <summary>The proof that a server survived: a real store still works and nothing was left behind.</summary>
    private static async Task AssertStillServesAsync(TestServer scp, string folder)
    {
        var file = Samples.Dx16(folder, 64, 64, seed: Environment.TickCount);
        var results = await StoreScu.SendAsync(Loopback.Host, scp.Port, [file], ClientOptions());
        Assert.True(results[0].Succeeded, results[0] + "\n" + scp.Log);
        await scp.WaitIdleAsync();
        Assert.Equal([Samples.SopInstanceUid(file) + ".dcm"], scp.StoredFiles.Select(Path.GetFileName));
        Assert.Empty(scp.TempFiles);
        File.Delete(scp.StoredFiles[0]);
    }

    [Fact]
    public async Task Random_bytes_are_refused_and_the_server_keeps_serving()
    {
        using var temp = new TempFolder("rnd");
        await using var scp = await TestServer.StartAsync();
        var random = new Random(20240601);
        for (var i = 0; i < 30; i++)
        {
            var bytes = new byte[random.Next(1, 3000)];
            random.NextBytes(bytes);
            await using var peer = await RawPeer.ConnectAsync(scp.Port);
            await peer.SendAsync(bytes);
            peer.ShutdownSend();
            var (closed, received) = await peer.WaitClosedAsync(TimeSpan.FromSeconds(5));
            Assert.True(closed, $"connection {i} left open");
            // Whatever it made of the noise, the server answered nothing but an A-ABORT.
            Assert.All(received, pdu => Assert.IsType<Abort>(pdu));
        }
        await scp.WaitIdleAsync();
        await AssertStillServesAsync(scp, temp.Path);
    }

    [Fact]
    public async Task A_pdu_length_of_FFFFFFFF_is_refused_from_its_header()
    {
        using var temp = new TempFolder("ffff");
        await using var scp = await TestServer.StartAsync();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        // On a fresh connection (Sta2): AA-1, an A-ABORT, at once and without waiting for 4 GiB.
        await using (var peer = await RawPeer.ConnectAsync(scp.Port))
        {
            var clock = Stopwatch.StartNew();
            await peer.SendAsync([0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF]);
            var abort = Assert.IsType<Abort>(await peer.ReadPduAsync(TimeSpan.FromSeconds(5)));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), clock.Elapsed.ToString());
            Assert.Equal(AbortSource.ServiceUser, abort.Source);
        }

        // In an association (Sta6): AA-8, an A-ABORT from the provider naming an invalid PDU parameter value.
        await using (var peer = await RawPeer.ConnectAsync(scp.Port))
        {
            await peer.AssociateAsync(RawPeer.Verification());
            await peer.SendAsync([0x04, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00]);
            var abort = Assert.IsType<Abort>(await peer.ReadPduAsync(TimeSpan.FromSeconds(5)));
            Assert.Equal(AbortSource.ServiceProvider, abort.Source);
            Assert.Equal(AbortReason.InvalidPduParameterValue, abort.Reason);
        }
        await scp.WaitIdleAsync();
        Assert.True(GC.GetTotalMemory(forceFullCollection: true) - before < 16 << 20, "a hostile length made the server allocate");
        await AssertStillServesAsync(scp, temp.Path);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_peer_that_aborts_or_vanishes_mid_data_set_leaves_nothing(bool sendAbort)
    {
        using var temp = new TempFolder("mid");
        var (command, dataset) = RawPeer.StoreOf(Samples.Dx16(temp.Path, 512, 512));
        await using var scp = await TestServer.StartAsync();
        await using (var peer = await RawPeer.ConnectAsync(scp.Port))
        {
            await peer.AssociateAsync(RawPeer.Storage(command.AffectedSopClassUid, Ele));
            await peer.SendCommandAsync(1, command);
            await peer.SendDatasetAsync(1, dataset[..(dataset.Length / 2)], markLast: false);
            // Wait until the server has the file open in its temp folder, so the test covers cleaning it up.
            await WaitForAsync(() => scp.TempFiles.Length == 1, "no temp file appeared");
            if (sendAbort)
            {
                await peer.SendAsync(Abort.ByServiceUser());
            }
        }
        await scp.WaitIdleAsync();
        Assert.Empty(scp.StoredFiles);
        Assert.Empty(scp.TempFiles);
        Assert.Equal(1, scp.Statistics.AssociationsAborted);
        await AssertStillServesAsync(scp, temp.Path);
    }

    [Fact]
    public async Task A_silent_connection_is_closed_by_artim()
    {
        using var temp = new TempFolder("artim");
        await using var scp = await TestServer.StartAsync(o => o with { UpperLayer = o.UpperLayer with { ArtimTimeout = TimeSpan.FromMilliseconds(400) } });
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        var clock = Stopwatch.StartNew();
        var (closed, received) = await peer.WaitClosedAsync(TimeSpan.FromSeconds(5));
        Assert.True(closed);
        Assert.Empty(received);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(3));
        await AssertStillServesAsync(scp, temp.Path);
    }

    [Fact]
    public async Task An_idle_association_is_aborted_after_the_idle_timeout()
    {
        using var temp = new TempFolder("idle");
        await using var scp = await TestServer.StartAsync(o => o with
        {
            IdleTimeout = TimeSpan.FromMilliseconds(500),
            UpperLayer = o.UpperLayer with { ArtimTimeout = TimeSpan.FromSeconds(1) },
        });
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.AssociateAsync(RawPeer.Verification());
        var clock = Stopwatch.StartNew();
        var (closed, received) = await peer.WaitClosedAsync(TimeSpan.FromSeconds(5));
        Assert.True(closed);
        Assert.IsType<Abort>(Assert.Single(received));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(3));
        Assert.Equal(1, scp.Statistics.Count(AssociationFailure.IdleTimeout));
        Assert.Contains("aborting (IdleTimeout)", scp.Log, StringComparison.Ordinal);
        await AssertStillServesAsync(scp, temp.Path);
    }

    [Fact]
    public async Task A_peer_stalling_inside_a_data_set_is_aborted_after_the_dimse_timeout()
    {
        using var temp = new TempFolder("stall");
        var (command, dataset) = RawPeer.StoreOf(Samples.Dx16(temp.Path, 256, 256));
        await using var scp = await TestServer.StartAsync(o => o with
        {
            DimseTimeout = TimeSpan.FromMilliseconds(500),
            IdleTimeout = TimeSpan.FromSeconds(30),
            UpperLayer = o.UpperLayer with { ArtimTimeout = TimeSpan.FromSeconds(1) },
        });
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.AssociateAsync(RawPeer.Storage(command.AffectedSopClassUid, Ele));
        await peer.SendCommandAsync(1, command);
        await peer.SendDatasetAsync(1, dataset[..1000], markLast: false);
        // Half a PDU header too: the server must not wait for the rest of it forever either.
        await peer.SendAsync([0x04, 0x00, 0x00]);
        var (closed, received) = await peer.WaitClosedAsync(TimeSpan.FromSeconds(5));
        Assert.True(closed);
        Assert.IsType<Abort>(Assert.Single(received));
        Assert.Contains("aborting (DimseTimeout)", scp.Log, StringComparison.Ordinal);
        await scp.WaitIdleAsync();
        Assert.Equal(1, scp.Statistics.Count(AssociationFailure.DimseTimeout));
        Assert.Empty(scp.TempFiles);
        Assert.Empty(scp.StoredFiles);
        await AssertStillServesAsync(scp, temp.Path);
    }

    [Fact]
    public async Task A_peer_that_never_reads_is_cut_off_by_the_send_timeout()
    {
        // Flood the server with C-ECHO requests without reading a single response: its sends block once the socket
        // buffers are full, and the send timeout must free the association.
        using var temp = new TempFolder("noread");
        await using var scp = await TestServer.StartAsync(o => o with
        {
            UpperLayer = o.UpperLayer with { SendTimeout = TimeSpan.FromMilliseconds(500), ArtimTimeout = TimeSpan.FromSeconds(1) },
        });
        await using (var peer = await RawPeer.ConnectAsync(scp.Port))
        {
            await peer.AssociateAsync(RawPeer.Verification());
            var echo = PduWriter.ToArray(new PDataTransfer([new PresentationDataValue(1, true, true,
                new System.Buffers.ReadOnlySequence<byte>(CommandSet.Encode(new CEchoRequest(1).ToCommand())))]));
            var burst = Enumerable.Repeat(echo, 2000).SelectMany(b => b).ToArray();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                while (!cts.IsCancellationRequested && scp.Server.OpenConnections > 0)
                {
                    await peer.SendAsync(burst).WaitAsync(TimeSpan.FromSeconds(2), cts.Token);
                }
            }
            catch (Exception e) when (e is IOException or TimeoutException or OperationCanceledException)
            {
                // The server has closed on us, or our own send buffer is full because it stopped reading: both fine.
            }
        }
        await scp.WaitIdleAsync(TimeSpan.FromSeconds(10));
        Assert.True(scp.Statistics.AssociationsAborted >= 1, scp.Log);
        Assert.True(scp.Statistics.Count(AssociationFailure.SendTimeout) + scp.Statistics.Count(AssociationFailure.ConnectionLost) >= 1, scp.Log);
        await AssertStillServesAsync(scp, temp.Path);
    }

    [Fact]
    public async Task A_hundred_idle_connections_do_not_stop_a_real_storescu()
    {
        using var temp = new TempFolder("idle100");
        await using var scp = await TestServer.StartAsync(o => o with
        {
            UpperLayer = o.UpperLayer with { ArtimTimeout = TimeSpan.FromSeconds(60) },
            AssociationRequestTimeout = TimeSpan.FromSeconds(60),
            MaxConnectionsPerAddress = 100,
        });
        var idle = new List<RawPeer>();
        try
        {
            // From another loopback address than storescu's 127.0.0.1.
            for (var i = 0; i < 100; i++)
            {
                idle.Add(await RawPeer.ConnectAsync(scp.Port, Loopback.Other));
            }
            await WaitForAsync(() => scp.Server.OpenConnections == 100, "the idle connections were not all accepted");
            var file = Samples.Dx16(temp.Path, 512, 512);
            var (code, output) = await PeerProcess.RunAsync("storescu",
                ["-aet", "STORESCU", "-aec", TestServer.AeTitle, Loopback.Host, scp.Port.ToString(CultureInfo.InvariantCulture), file]);
            Assert.True(code == 0, output + scp.Log);
            Assert.Equal([Samples.SopInstanceUid(file) + ".dcm"], scp.StoredFiles.Select(Path.GetFileName));
            Assert.True(scp.Server.OpenConnections >= 100);
        }
        finally
        {
            await RawPeer.DisposeAllAsync(idle);
        }
        await scp.WaitIdleAsync();
    }

    [Fact]
    public async Task Associations_beyond_the_limit_are_rejected_with_local_limit_exceeded()
    {
        using var temp = new TempFolder("limit");
        await using var scp = await TestServer.StartAsync(o => o with { MaxAssociations = 2 });
        PresentationContextProposal[] echo = [new(1, DicomUids.Verification, TransferSyntaxes.Uncompressed)];
        var held = new List<DicomClient>
        {
            await DicomClient.ConnectAsync(Loopback.Host, scp.Port, echo, ClientOptions()),
            await DicomClient.ConnectAsync(Loopback.Host, scp.Port, echo, ClientOptions()),
        };
        try
        {
            var rejected = await Assert.ThrowsAsync<AssociationRejectedException>(() =>
                DicomClient.ConnectAsync(Loopback.Host, scp.Port, echo, ClientOptions()));
            Assert.Equal(AssociateRejectResult.RejectedTransient, rejected.Reject!.Result);
            Assert.Equal(AssociateRejectSource.ServiceProviderPresentation, rejected.Reject.Source);
            Assert.Equal(AssociateRejectReason.LocalLimitExceeded, rejected.Reject.Reason);

            var (code, output) = await PeerProcess.RunAsync("echoscu",
                ["-aet", "ECHOSCU", "-aec", TestServer.AeTitle, Loopback.Host, scp.Port.ToString(CultureInfo.InvariantCulture)]);
            Assert.NotEqual(0, code);
            Assert.Contains("Local Limit Exceeded", output, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(DimseStatus.Success, await held[0].EchoAsync());
        }
        finally
        {
            foreach (var client in held)
            {
                await client.ReleaseAsync();
                await client.DisposeAsync();
            }
        }
        await scp.WaitIdleAsync();
        Assert.Equal(2, scp.Statistics.AssociationsRejected);
        await AssertStillServesAsync(scp, temp.Path);
    }

    [Fact]
    public async Task Protocol_violations_inside_an_association_are_aborted()
    {
        using var temp = new TempFolder("viol");
        await using var scp = await TestServer.StartAsync(o => o with
        {
            UpperLayer = o.UpperLayer with { MaxReceivePduLength = 4096, ReceivePduHardLimit = 6000 },
        });

        // An A-ASSOCIATE-AC from the requestor: AA-8, unexpected-PDU.
        await using (var peer = await RawPeer.ConnectAsync(scp.Port))
        {
            await peer.AssociateAsync(RawPeer.Verification());
            var stray = new AssociateAccept { CalledAeTitle = "X", CallingAeTitle = "Y" };
            stray.PresentationContexts.Add(new PresentationContextResult(1, PresentationContextResultReason.Acceptance, Ele));
            stray.UserInformation.MaximumLength = 16384;
            await peer.SendAsync(stray);
            var abort = Assert.IsType<Abort>(await peer.ReadPduAsync(TimeSpan.FromSeconds(5)));
            Assert.Equal((AbortSource.ServiceProvider, AbortReason.UnexpectedPdu), (abort.Source, abort.Reason));
        }
        // A P-DATA-TF longer than the hard limit (a little over the announced maximum is tolerated, see LimitsTests).
        await using (var peer = await RawPeer.ConnectAsync(scp.Port))
        {
            var ac = await peer.AssociateAsync(RawPeer.Verification());
            Assert.Equal(4096u, ac.UserInformation.MaximumLength);
            await peer.SendPdvAsync(1, false, new byte[8000], last: true);
            var abort = Assert.IsType<Abort>(await peer.ReadPduAsync(TimeSpan.FromSeconds(5)));
            Assert.Equal(AbortReason.InvalidPduParameterValue, abort.Reason);
        }
        // A PDV on a presentation context that was never accepted, and a data set without a command.
        foreach (var (contextId, isCommand) in new[] { ((byte)3, true), ((byte)1, false) })
        {
            await using var peer = await RawPeer.ConnectAsync(scp.Port);
            await peer.AssociateAsync(RawPeer.Verification());
            await peer.SendPdvAsync(contextId, isCommand, CommandSet.Encode(new CEchoRequest(1).ToCommand()), last: true);
            Assert.IsType<Abort>(await peer.ReadPduAsync(TimeSpan.FromSeconds(5)));
        }
        await scp.WaitIdleAsync();
        Assert.Equal(4, scp.Statistics.AssociationsAborted);
        // Each counted by what it was: metrics can tell a broken peer from a hostile one.
        Assert.Equal(1, scp.Statistics.Count(AssociationFailure.UnexpectedPdu));
        Assert.Equal(1, scp.Statistics.Count(AssociationFailure.InvalidPdu));
        Assert.Equal(1, scp.Statistics.Count(DimseViolation.UnacceptedPresentationContext));
        Assert.Equal(1, scp.Statistics.Count(DimseViolation.DataSetWithoutCommand));
        Assert.Contains("aborting (DataSetWithoutCommand)", scp.Log, StringComparison.Ordinal);
        await AssertStillServesAsync(scp, temp.Path);
    }

    [Fact]
    public async Task Memory_returns_to_baseline_after_aborted_stores()
    {
        using var temp = new TempFolder("mem");
        var (command, dataset) = RawPeer.StoreOf(Samples.Dx16(temp.Path, 1024, 1024));
        await using var scp = await TestServer.StartAsync(o => o with { UpperLayer = o.UpperLayer with { ArtimTimeout = TimeSpan.FromSeconds(1) } });
        await AssertStillServesAsync(scp, temp.Path);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 20; i++)
        {
            await using var peer = await RawPeer.ConnectAsync(scp.Port);
            await peer.AssociateAsync(RawPeer.Storage(command.AffectedSopClassUid, Ele));
            await peer.SendCommandAsync(1, command);
            await peer.SendDatasetAsync(1, dataset[..(dataset.Length - 100)], markLast: false);
            await peer.SendAsync(Abort.ByServiceUser());
        }
        await scp.WaitIdleAsync();
        Assert.Empty(scp.TempFiles);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        // 20 × 2 MiB went through the server; none of it may stay referenced (pooled buffers are bounded and reused).
        Assert.True(after - baseline < 8 << 20, $"managed heap grew by {(after - baseline) >> 20} MiB");
        await AssertStillServesAsync(scp, temp.Path);
    }

    private static async Task WaitForAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(10);
        }
    }
}
