using CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg2000;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Storage;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;

namespace CxrPacsAgent.IntegrationTests.Network;

/// <summary>DCMTK's echoscu and storescu, the modality and router side, sending to our SCP.</summary>
public class DcmtkToOurScpTests
{
    private static string[] Storescu(int port, params string[] args) =>
        ["-aet", "STORESCU", "-aec", TestServer.AeTitle, .. args, Loopback.Host, port.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    [Fact]
    public async Task Echoscu_is_answered_with_success()
    {
        await using var scp = await TestServer.StartAsync();
        var (code, output) = await PeerProcess.RunAsync("echoscu", ["-v", "-aet", "ECHOSCU", "-aec", TestServer.AeTitle, Loopback.Host, scp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(code == 0, output);
        Assert.Contains("Received Echo Response (Success)", output, StringComparison.Ordinal);
        Assert.Equal(1, scp.Statistics.Echoes);
    }

    [Theory]
    [InlineData("-xi", "1.2.840.10008.1.2")]
    [InlineData("-xe", "1.2.840.10008.1.2.1")]
    [InlineData("-xb", "1.2.840.10008.1.2.2")]
    public async Task Storescu_stores_in_each_uncompressed_syntax(string option, string expectedSyntax)
    {
        using var temp = new TempFolder("xs");
        string[] files = [Samples.Cr16, Samples.Dx16(temp.Path)];
        // DCMTK sends a file in its own syntax when that was accepted too; accepting only the syntax under test makes it
        // convert, so each one really crosses the wire.
        await using var scp = await TestServer.StartAsync(o => o with
        {
            Policy = o.Policy with { TransferSyntaxPreference = [expectedSyntax] },
        });
        var (code, output) = await PeerProcess.RunAsync("storescu", [.. Storescu(scp.Port, option), .. files.Select(f => f)]);
        Assert.True(code == 0, output + scp.Log);
        await scp.WaitIdleAsync();
        Assert.Equal(2, scp.StoredFiles.Length);
        foreach (var source in files)
        {
            var stored = Path.Combine(scp.Output, Samples.SopInstanceUid(source) + ".dcm");
            Assert.Equal(expectedSyntax, Samples.TransferSyntaxOf(stored));
            Assert.Equal(Samples.PixelData(source), Samples.PixelData(stored));
        }
        Assert.Empty(scp.TempFiles);
        scp.AssertNoPatientDataLogged();
    }

    [Theory]
    [InlineData("-xs", "fodicom_GH538-jpeg14sv1.dcm")]
    [InlineData("-xt", "dcmfx_TestPattern_Palette_16.jpeg_ls_lossless.dcm")]
    [InlineData("-xr", "pydicom_SC_rgb_rle.dcm")]
    [InlineData("-xy", "pydicom_SC_rgb_dcmtk_+eb+cr.dcm")]
    [InlineData("-xd", "pydicom_image_dfl.dcm")]
    public async Task Storescu_compressed_proposals_are_stored_as_sent(string option, string sample)
    {
        var source = Samples.Codec(sample);
        await using var scp = await TestServer.StartAsync();
        var (code, output) = await PeerProcess.RunAsync("storescu", [.. Storescu(scp.Port, option), source]);
        Assert.True(code == 0, output + scp.Log);
        await scp.WaitIdleAsync();
        var stored = Assert.Single(scp.StoredFiles);
        // Accepted in the file's own syntax: no conversion on either side, the compressed pixel data arrive as they were.
        Assert.Equal(Samples.TransferSyntaxOf(source), Samples.TransferSyntaxOf(stored));
        Assert.Equal(Samples.PixelData(source), Samples.PixelData(stored));
        Assert.Equal(Samples.SopInstanceUid(source), Samples.SopInstanceUid(stored));
    }

    /// <summary>
    /// JPEG 2000, which archives and some routers send, is accepted since OpenJPEG decodes it, and stored as sent; a
    /// syntax we could not decode would still be refused (TransferSyntaxes.StorageDefault asks the codec registry).
    /// </summary>
    [SkippableTheory]
    [InlineData("pydicom_GDCMJ2K_TextGBR.dcm", "-xv")]
    [InlineData("pydicom_SC_rgb_gdcm_KY.dcm", "-xw")]
    public async Task JPEG_2000_from_storescu_is_accepted_and_stored_as_sent(string sample, string option)
    {
        Skip.IfNot(OpenJpeg.IsAvailable, OpenJpeg.UnavailableReason);
        var source = Samples.Codec(sample);
        await using var scp = await TestServer.StartAsync();
        var (code, output) = await PeerProcess.RunAsync("storescu", [.. Storescu(scp.Port, option), source]);
        Assert.True(code == 0, output + scp.Log);
        await scp.WaitIdleAsync();
        var stored = Assert.Single(scp.StoredFiles);
        Assert.Equal(Samples.TransferSyntaxOf(source), Samples.TransferSyntaxOf(stored));
        Assert.Equal(Samples.PixelData(source), Samples.PixelData(stored));
    }

    [Fact]
    public async Task Storescu_sends_many_files_in_one_association()
    {
        using var temp = new TempFolder("many");
        var files = Enumerable.Range(0, 40).Select(i => Samples.Dx16(temp.Path, 64, 64, seed: i)).ToList();
        await using var scp = await TestServer.StartAsync();
        var (code, output) = await PeerProcess.RunAsync("storescu", [.. Storescu(scp.Port), .. files]);
        Assert.True(code == 0, output + scp.Log);
        await scp.WaitIdleAsync();
        Assert.Equal(1, scp.Statistics.AssociationsAccepted);
        Assert.Equal(40, scp.Statistics.InstancesStored);
        Assert.Equal(files.Select(Samples.SopInstanceUid).Order(), scp.StoredFiles.Select(Samples.SopInstanceUid).Order());
        scp.AssertNoPatientDataLogged();
    }

    [Fact]
    public async Task Several_storescu_associations_are_served_at_once()
    {
        using var temp = new TempFolder("par");
        var handler = new ConcurrencyProbe(new FileStoreHandler(temp.Sub("unused")));
        await using var scp = await TestServer.StartAsync(handler: handler);
        handler.Inner = new FileStoreHandler(scp.Output);
        var batches = Enumerable.Range(0, 4)
            .Select(b => Enumerable.Range(0, 8).Select(i => Samples.Dx16(temp.Path, 64, 64, seed: 100 * b + i)).ToList())
            .ToList();
        var peers = batches.Select(files => PeerProcess.Start("storescu", [.. Storescu(scp.Port), .. files])).ToList();
        try
        {
            foreach (var peer in peers)
            {
                Assert.True(await peer.WaitAsync(TimeSpan.FromSeconds(60)) == 0, peer.Output);
            }
        }
        finally
        {
            foreach (var peer in peers)
            {
                await peer.DisposeAsync();
            }
        }
        await scp.WaitIdleAsync();
        Assert.Equal(4, scp.Statistics.AssociationsAccepted);
        Assert.Equal(32, scp.StoredFiles.Length);
        Assert.True(handler.MaxConcurrent >= 2, $"stores never overlapped (max {handler.MaxConcurrent})");
    }

    /// <summary>Counts how many stores are being committed at the same moment (each takes a little while).</summary>
    private sealed class ConcurrencyProbe(IStoreHandler inner) : IStoreHandler
    {
        private int current;

        public IStoreHandler Inner { get; set; } = inner;

        public int MaxConcurrent { get; private set; }

        public async ValueTask<StoreOutcome> OnInstanceReceivedAsync(ReceivedInstance instance, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref current);
            lock (this)
            {
                MaxConcurrent = Math.Max(MaxConcurrent, now);
            }
            try
            {
                await Task.Delay(40, cancellationToken);
                return await Inner.OnInstanceReceivedAsync(instance, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref current);
            }
        }
    }
}
