using CxrPacsAgent.Dicom.Network;
using CxrPacsAgent.Dicom.Network.Client;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;

namespace CxrPacsAgent.IntegrationTests.Network;

/// <summary>Our SCU sending to DCMTK's storescp, the PACS side.</summary>
public class OurScuToDcmtkTests
{
    private static DicomClientOptions Options => new()
    {
        CallingAeTitle = "CXRSCU",
        CalledAeTitle = Storescp.AeTitle,
        AcseTimeout = TimeSpan.FromSeconds(10),
        DimseTimeout = TimeSpan.FromSeconds(20),
    };

    [Fact]
    public async Task Echo_is_answered_by_storescp()
    {
        await using var storescp = await Storescp.StartAsync();
        await using var client = await DicomClient.ConnectAsync(Loopback.Host, storescp.Port,
            [new(1, Dicom.Data.DicomUids.Verification, Dicom.Network.Acse.TransferSyntaxes.Uncompressed)], Options);
        Assert.Equal(DimseStatus.Success, await client.EchoAsync());
        await client.ReleaseAsync();
    }

    [Fact]
    public async Task Every_sample_reaches_a_bit_preserving_storescp_intact()
    {
        // +xa: every syntax DCMTK knows; +B: written exactly as received, so what we streamed can be compared byte for byte.
        await using var storescp = await Storescp.StartAsync("+xa", "+B");
        var results = await StoreScu.SendAsync(Loopback.Host, storescp.Port, Samples.All, Options);
        Assert.All(results, r => Assert.True(r.Succeeded, r + "\n" + storescp.Log));
        var received = storescp.Received();
        // Two samples share a SOP Instance UID (RLE and JPEG copies of one image); the later replaced the earlier.
        var unique = results.GroupBy(r => r.SopInstanceUid).Where(g => g.Count() == 1).Select(g => g.Single()).ToList();
        Assert.Equal(results.Count - 2, unique.Count);
        foreach (var result in unique)
        {
            var stored = received[result.SopInstanceUid!];
            Samples.AssertSamePixels(result.Path, stored);
            if (!result.Transcoded)
            {
                var expected = Samples.DatasetBytes(result.Path);
                if (result.TransferSyntaxUid == "1.2.840.10008.1.2.1.99" && expected.Length % 2 == 1)
                {
                    // A deflated stream of odd length is sent with one trailing NUL (PS3.5 A.5).
                    expected = [.. expected, 0];
                }
                Assert.True(expected.AsSpan().SequenceEqual(Samples.DatasetBytes(stored)), $"{result} {result.TransferSyntaxUid}: data set bytes differ");
            }
        }
        // Re-encoded are exactly the files storescp took in another native syntax, and the one with an odd-length value
        // (which DCMTK refuses as it is); every other file was streamed as stored.
        foreach (var result in results)
        {
            var otherSyntax = result.TransferSyntaxUid != Samples.TransferSyntaxOf(result.Path);
            Assert.Equal(otherSyntax || result.Path == Samples.DxOdd, result.Transcoded);
        }
        Assert.Contains(results, r => !r.Transcoded && r.TransferSyntaxUid == "1.2.840.10008.1.2.4.70");
    }

    [Fact]
    public async Task An_implicit_only_peer_gets_native_files_transcoded_and_compressed_ones_refused()
    {
        using var temp = new TempFolder("impl");
        var dx = Samples.Dx16(temp.Path);
        var jpeg = Samples.Codec("fodicom_GH538-jpeg14sv1.dcm");
        await using var storescp = await Storescp.StartAsync("+xi");
        var results = await StoreScu.SendAsync(Loopback.Host, storescp.Port, [dx, Samples.Cr16, jpeg], Options);
        var byPath = results.ToDictionary(r => r.Path);
        Assert.True(byPath[dx].Succeeded, byPath[dx].ToString());
        Assert.True(byPath[dx].Transcoded);
        Assert.Equal("1.2.840.10008.1.2", byPath[dx].TransferSyntaxUid);
        Assert.True(byPath[Samples.Cr16].Succeeded);
        Assert.False(byPath[Samples.Cr16].Transcoded);
        Assert.False(byPath[jpeg].Succeeded);
        Assert.Contains("no presentation context accepted", byPath[jpeg].Error, StringComparison.Ordinal);
        var received = storescp.Received();
        Assert.Equal(2, received.Count);
        Assert.Equal(Samples.PixelData(dx), Samples.PixelData(received[Samples.SopInstanceUid(dx)]));
    }

    [Fact]
    public async Task A_small_peer_maximum_length_is_honoured()
    {
        using var temp = new TempFolder("pdu");
        var large = Samples.Dx16(temp.Path, 1024, 1024);
        await using var storescp = await Storescp.StartAsync("-pdu", "4096", "+B");
        var results = await StoreScu.SendAsync(Loopback.Host, storescp.Port, [large], Options);
        Assert.True(results[0].Succeeded, results[0] + storescp.Log);
        Assert.False(results[0].Transcoded);
        Assert.Equal(Samples.DatasetBytes(large), Samples.DatasetBytes(storescp.Received().Values.Single()));
    }

    [Fact]
    public async Task Tls_to_storescp()
    {
        using var temp = new TempFolder("tls");
        using var certificate = TestCertificates.Create("storescp");
        var (cert, key) = TestCertificates.WritePem(certificate, temp.Path, "server");
        await using var storescp = await Storescp.StartAsync("+tls", key, cert, "-ic");
        var options = Options with { Tls = new ClientTlsOptions { ServerCertificateValidation = TestCertificates.Pinned(certificate) } };
        var results = await StoreScu.SendAsync(Loopback.Host, storescp.Port, [Samples.Cr16], options);
        Assert.True(results[0].Succeeded, results[0] + storescp.Log);

        // A certificate we do not trust ends the handshake, and no data is sent.
        using var other = TestCertificates.Create("other");
        var untrusted = Options with { Tls = new ClientTlsOptions { ServerCertificateValidation = TestCertificates.Pinned(other) } };
        await Assert.ThrowsAsync<DicomNetworkException>(() => DicomClient.ConnectAsync(Loopback.Host, storescp.Port,
            StoreScu.Propose([StoreFileOf(Samples.Cr16)]), untrusted));
    }

    private static StoreFile StoreFileOf(string path)
    {
        Assert.True(StoreFile.TryOpen(path, out var file, out var error), error);
        return file!;
    }
}
