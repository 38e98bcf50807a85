using System.Globalization;
using CxrPacsAgent.Dicom.Network;
using CxrPacsAgent.Dicom.Network.Client;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Pdus;
using CxrPacsAgent.Dicom.Network.Server;
using CxrPacsAgent.IntegrationTests.Network.Support;

namespace CxrPacsAgent.IntegrationTests.Network;

/// <summary>DICOM over TLS (PS3.15 B.1) with SslStream, against DCMTK's TLS build and between our own ends.</summary>
public class TlsTests
{
    [Fact]
    public async Task Dcmtk_over_anonymous_tls_reaches_our_scp()
    {
        using var temp = new TempFolder("tls-in");
        using var certificate = TestCertificates.Create("cxr-scp");
        await using var scp = await TestServer.StartAsync(o => o with { Tls = new ServerTlsOptions { ServerCertificate = certificate } });
        var port = scp.Port.ToString(CultureInfo.InvariantCulture);
        var (code, output) = await PeerProcess.RunAsync("echoscu", ["+tla", "-ic", "-aet", "ECHOSCU", "-aec", TestServer.AeTitle, Loopback.Host, port]);
        Assert.True(code == 0, output + scp.Log);
        var file = Samples.Dx16(temp.Path, 128, 128);
        (code, output) = await PeerProcess.RunAsync("storescu", ["+tla", "-ic", "-aet", "STORESCU", "-aec", TestServer.AeTitle, Loopback.Host, port, file]);
        Assert.True(code == 0, output + scp.Log);
        Assert.Equal(Samples.PixelData(file), Samples.PixelData(scp.StoredFiles.Single()));
        // Plain TCP to a TLS port gets nowhere, and the server carries on.
        (code, _) = await PeerProcess.RunAsync("echoscu", ["-aet", "ECHOSCU", "-aec", TestServer.AeTitle, Loopback.Host, port]);
        Assert.NotEqual(0, code);
    }

    [Fact]
    public async Task A_required_client_certificate_is_enforced()
    {
        using var temp = new TempFolder("tls-mutual");
        using var server = TestCertificates.Create("cxr-scp");
        using var client = TestCertificates.Create("cxr-scu");
        using var stranger = TestCertificates.Create("stranger");
        await using var scp = await TestServer.StartAsync(o => o with
        {
            Tls = new ServerTlsOptions
            {
                ServerCertificate = server,
                RequireClientCertificate = true,
                ClientCertificateValidation = TestCertificates.Pinned(client),
            },
        });
        DicomClientOptions Options(System.Security.Cryptography.X509Certificates.X509Certificate2? certificate) => new()
        {
            CalledAeTitle = TestServer.AeTitle,
            Tls = new ClientTlsOptions { ClientCertificate = certificate, ServerCertificateValidation = TestCertificates.Pinned(server) },
        };
        var file = Samples.Dx16(temp.Path, 256, 256);
        var results = await StoreScu.SendAsync(Loopback.Host, scp.Port, [file], Options(client));
        Assert.True(results[0].Succeeded, results[0] + scp.Log);
        Assert.Equal(Samples.DatasetBytes(file), Samples.DatasetBytes(scp.StoredFiles.Single()));

        foreach (var wrong in new[] { null, stranger })
        {
            var failed = await StoreScu.SendAsync(Loopback.Host, scp.Port, [file], Options(wrong));
            Assert.False(failed[0].Succeeded);
        }
        await scp.WaitIdleAsync();
        Assert.Equal(1, scp.Statistics.AssociationsAccepted);
        Assert.Contains("TLS handshake", scp.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Our_echo_over_tls_checks_the_server_certificate()
    {
        using var certificate = TestCertificates.Create("cxr-scp");
        await using var scp = await TestServer.StartAsync(o => o with { Tls = new ServerTlsOptions { ServerCertificate = certificate } });
        PresentationContextProposal[] echo = [RawPeer.Verification()];
        var trusting = new DicomClientOptions
        {
            CalledAeTitle = TestServer.AeTitle,
            Tls = new ClientTlsOptions { ServerCertificateValidation = TestCertificates.Pinned(certificate) },
        };
        await using (var c = await DicomClient.ConnectAsync(Loopback.Host, scp.Port, echo, trusting))
        {
            Assert.Equal(DimseStatus.Success, await c.EchoAsync());
            await c.ReleaseAsync();
        }
        // Without a callback the machine's trust store decides, and a self-signed certificate is not in it.
        var strict = trusting with { Tls = new ClientTlsOptions() };
        await Assert.ThrowsAsync<DicomNetworkException>(() => DicomClient.ConnectAsync(Loopback.Host, scp.Port, echo, strict));
    }
}
