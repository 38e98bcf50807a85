using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Client;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;

namespace CxrPacsAgent.IntegrationTests.Network;

/// <summary>Orthanc, a real PACS, both as the destination of our SCU and as a sender to our SCP.</summary>
public class OrthancInteropTests(Orthanc orthanc) : IClassFixture<Orthanc>
{
    private DicomClientOptions Options => new()
    {
        CallingAeTitle = "CXRSCU",
        CalledAeTitle = Orthanc.AeTitle,
        AcseTimeout = TimeSpan.FromSeconds(10),
        DimseTimeout = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task Our_echo_is_answered_by_orthanc()
    {
        await using var client = await DicomClient.ConnectAsync(Loopback.Host, orthanc.DicomPort,
            [new(1, DicomUids.Verification, TransferSyntaxes.Uncompressed)], Options);
        Assert.Equal(DimseStatus.Success, await client.EchoAsync());
        await client.ReleaseAsync();
    }

    [Fact]
    public async Task Every_instance_our_scu_sends_arrives_with_identical_pixel_data()
    {
        using var temp = new TempFolder("to-orthanc");
        List<string> files = [.. Samples.All, Samples.Dx16(temp.Path, 512, 512, seed: 7)];
        var results = await StoreScu.SendAsync(Loopback.Host, orthanc.DicomPort, files, Options);
        Assert.All(results, r => Assert.True(r.Succeeded, r + "\n" + orthanc.Log));
        var unique = results.GroupBy(r => r.SopInstanceUid).Where(g => g.Count() == 1).Select(g => g.Single());
        foreach (var result in unique)
        {
            var id = await orthanc.FindInstanceAsync(result.SopInstanceUid!);
            Assert.True(id is not null, $"{result.Path} did not arrive");
            var received = Path.Combine(temp.Path, id + ".dcm");
            await File.WriteAllBytesAsync(received, await orthanc.GetFileAsync(id));
            Samples.AssertSamePixels(result.Path, received);
            Assert.Equal(result.TransferSyntaxUid, Samples.TransferSyntaxOf(received));
        }
    }

    [Fact]
    public async Task Orthanc_stores_to_our_scp()
    {
        using var temp = new TempFolder("from-orthanc");
        List<string> sources =
        [
            Samples.Dx16(temp.Path, 300, 200, seed: 11),
            Samples.Cr16,
            Samples.Sc1024,
            Samples.Codec("fodicom_GH538-jpeg14sv1.dcm"),
            Samples.Codec("dcmfx_TestPattern_Palette_16.jpeg_ls_lossless.dcm"),
        ];
        var ids = new List<string>();
        foreach (var source in sources)
        {
            ids.Add(await orthanc.UploadAsync(source));
        }
        await using var scp = await TestServer.StartAsync();
        await orthanc.AddModalityAsync("CXRTEST", TestServer.AeTitle, scp.Port);

        using (var echo = await orthanc.EchoModalityAsync("CXRTEST"))
        {
            Assert.True(echo.IsSuccessStatusCode, await echo.Content.ReadAsStringAsync() + scp.Log);
        }
        using (var response = await orthanc.StoreToModalityAsync("CXRTEST", ids))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync() + "\n" + orthanc.Log + "\n" + scp.Log);
        }
        await scp.WaitIdleAsync();
        Assert.Equal(sources.Count, scp.StoredFiles.Length);
        for (var i = 0; i < sources.Count; i++)
        {
            var fromOrthanc = Path.Combine(temp.Path, ids[i] + ".orthanc.dcm");
            await File.WriteAllBytesAsync(fromOrthanc, await orthanc.GetFileAsync(ids[i]));
            var uid = DicomFile.Open(fromOrthanc).Dataset.GetString(DicomTags.SOPInstanceUID)!;
            var stored = Path.Combine(scp.Output, FileNameOf(uid));
            Assert.True(File.Exists(stored), $"{uid} missing:\n{scp.Log}");
            Samples.AssertSamePixels(fromOrthanc, stored);
        }
        Assert.Empty(scp.TempFiles);
        scp.AssertNoPatientDataLogged();
    }

    private static string FileNameOf(string uid) => Dicom.Network.Storage.FileStoreHandler.FileNameFor(uid);
}
