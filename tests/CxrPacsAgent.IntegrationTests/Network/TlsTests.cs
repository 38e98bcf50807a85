using System.Globalization;
using CxrPacsAgent.Dicom.Network;
using CxrPacsAgent.Dicom.Network.Client;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Pdus;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Server;
using CxrPacsAgent.Dicom.Network.Tls;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;

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

    [Fact]
    public async Task A_site_ca_bundle_admits_its_clients_and_no_other()
    {
        using var temp = new TempFolder("tls-ca");
        using var server = TestCertificates.Create("cxr-scp");
        using var authority = TestCertificates.CreateAuthority("Hospital CA");
        using var issued = TestCertificates.Issue(authority, "STORESCU");
        using var stranger = TestCertificates.Create("STORESCU");
        var bundle = Path.Combine(temp.Path, "ca.pem");
        File.WriteAllText(bundle, authority.ExportCertificatePem());
        await using var scp = await TestServer.StartAsync(o => o with
        {
            Tls = new ServerTlsOptions
            {
                ServerCertificate = server,
                RequireClientCertificate = true,
                ClientCertificateAuthorities = CertificateAuthorities.LoadPem(bundle),
            },
        });
        var file = Samples.Dx16(temp.Path, 64, 64);
        // DCMTK with the issued certificate: in.
        var (certificate, key) = TestCertificates.WritePem(issued, temp.Path, "issued");
        var (code, output) = await PeerProcess.RunAsync("storescu",
            ["+tls", key, certificate, "-ic", "-aet", "STORESCU", "-aec", TestServer.AeTitle, Loopback.Host, Port(scp), file]);
        Assert.True(code == 0, output + scp.Log);
        // Ours with it too; with a self-signed certificate of the same name, or none, out.
        Assert.True((await SendAsync(scp, server, issued, file))[0].Succeeded, scp.Log);
        Assert.False((await SendAsync(scp, server, stranger, file))[0].Succeeded);
        Assert.False((await SendAsync(scp, server, null, file))[0].Succeeded);
        await scp.WaitIdleAsync();
        Assert.Equal(2, scp.Statistics.AssociationsAccepted);
        Assert.Equal(2, scp.Statistics.Count(AssociationFailure.TlsHandshakeFailed));
        Assert.Contains("client certificate refused", scp.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_optional_client_certificate_that_fails_validation_is_refused()
    {
        using var temp = new TempFolder("tls-optional");
        using var server = TestCertificates.Create("cxr-scp");
        using var authority = TestCertificates.CreateAuthority("Hospital CA");
        using var stranger = TestCertificates.Create("STORESCU");
        await using var scp = await TestServer.StartAsync(o => o with
        {
            Tls = new ServerTlsOptions { ServerCertificate = server, ClientCertificateAuthorities = [authority] },
        });
        var file = Samples.Dx16(temp.Path, 64, 64);
        // No certificate is allowed (none is required); a certificate that does not validate is not.
        Assert.True((await SendAsync(scp, server, null, file))[0].Succeeded, scp.Log);
        Assert.False((await SendAsync(scp, server, stranger, file))[0].Succeeded);
        await scp.WaitIdleAsync();
        Assert.Equal(1, scp.Statistics.Count(AssociationFailure.TlsHandshakeFailed));
    }

    [Fact]
    public async Task The_calling_ae_title_can_be_bound_to_the_client_certificate()
    {
        using var temp = new TempFolder("tls-bind");
        using var server = TestCertificates.Create("cxr-scp");
        using var authority = TestCertificates.CreateAuthority("Hospital CA");
        using var issued = TestCertificates.Issue(authority, "STORESCU");
        await using var scp = await TestServer.StartAsync(o => o with
        {
            Tls = new ServerTlsOptions
            {
                ServerCertificate = server,
                RequireClientCertificate = true,
                ClientCertificateAuthorities = [authority],
                BindClientCertificateToCallingAe = true,
            },
        });
        var file = Samples.Dx16(temp.Path, 64, 64);
        Assert.True((await SendAsync(scp, server, issued, file, "STORESCU"))[0].Succeeded, scp.Log);
        // The same certificate cannot vouch for another AE title.
        var impostor = await SendAsync(scp, server, issued, file, "MODALITY1");
        Assert.False(impostor[0].Succeeded);
        Assert.Contains("calling-AE-title-not-recognized", impostor[0].ToString(), StringComparison.Ordinal);
        await scp.WaitIdleAsync();
        Assert.Equal(1, scp.Statistics.Count(AssociationRejection.ClientCertificateMismatch));
    }

    [Theory]
    [InlineData(DicomTlsProfile.NonDowngradingBcp195, false)]
    [InlineData(DicomTlsProfile.ExtendedBcp195, false)]
    [InlineData(DicomTlsProfile.Bcp195, true)]
    public async Task The_tls_profile_is_ours_not_the_hosts(DicomTlsProfile profile, bool rsaKeyTransportAllowed)
    {
        using var certificate = TestCertificates.Create("cxr-scp");
        await using var scp = await TestServer.StartAsync(o => o with { Tls = new ServerTlsOptions { ServerCertificate = certificate, Profile = profile } });
        // OpenSSL as an independent client: the profile's own suite is taken, one outside it is refused even though
        // the host's OpenSSL would accept it, and TLS 1.1 never.
        Assert.True(await OpenSslHandshakeAsync(scp, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"), scp.Log);
        Assert.False(await OpenSslHandshakeAsync(scp, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256"));
        Assert.Equal(rsaKeyTransportAllowed, await OpenSslHandshakeAsync(scp, "-tls1_2", "-cipher", "AES128-SHA"));
        Assert.Equal(profile != DicomTlsProfile.ExtendedBcp195, await OpenSslHandshakeAsync(scp, "-tls1_3"));
        Assert.False(await OpenSslHandshakeAsync(scp, "-tls1_1", "-cipher", "AES128-SHA:@SECLEVEL=0"));
        await scp.WaitIdleAsync();
        Assert.Contains("TLS handshake", scp.Log, StringComparison.Ordinal);
    }

    private static string Port(TestServer scp) => scp.Port.ToString(CultureInfo.InvariantCulture);

    private static Task<IReadOnlyList<StoreResult>> SendAsync(TestServer scp, System.Security.Cryptography.X509Certificates.X509Certificate2 server,
        System.Security.Cryptography.X509Certificates.X509Certificate2? client, string file, string callingAe = "STORESCU") =>
        StoreScu.SendAsync(Loopback.Host, scp.Port, [file], new DicomClientOptions
        {
            CallingAeTitle = callingAe,
            CalledAeTitle = TestServer.AeTitle,
            Tls = new ClientTlsOptions { ClientCertificate = client, ServerCertificateValidation = TestCertificates.Pinned(server) },
        });

    /// <summary>True when `openssl s_client` completes a handshake with these options.</summary>
    private static async Task<bool> OpenSslHandshakeAsync(TestServer scp, params string[] options)
    {
        // Standard input at its end: s_client closes as soon as the handshake is done.
        var command = $"{Tools.Find("openssl")} s_client -connect {Loopback.Host}:{Port(scp)} -brief {string.Join(' ', options)} < /dev/null";
        var (code, _) = await PeerProcess.RunAsync("sh", ["-c", command], TimeSpan.FromSeconds(20));
        return code == 0;
    }
}
