using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CxrPacsAgent.Dicom.Network.Tls;

namespace CxrPacsAgent.Dicom.Tests.Network.Tls;

/// <summary>
/// The check after every handshake, which is what enforces a profile where the platform takes no cipher suite
/// policy (Windows): a session outside the profile is named, one inside is not.
/// </summary>
public class TlsProfilesTests
{
    [SkippableFact]
    [SupportedOSPlatform("linux")]
    public async Task A_session_outside_the_profile_is_named()
    {
        // A server held to a CBC suite needs a cipher suite policy, which only Linux and macOS take.
        Skip.IfNot(OperatingSystem.IsLinux(), "cipher suite policies (to make a server pick a suite outside the profile) need Linux");
        var (client, server) = await HandshakeAsync(SslProtocols.Tls12, new CipherSuitesPolicy([TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256]));
        await using (client)
        await using (server)
        {
            Assert.Equal("cipher suite TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 is outside the NonDowngradingBcp195 profile",
                TlsProfiles.Violation(client, DicomTlsProfile.NonDowngradingBcp195));
        }
    }

    [Fact]
    public async Task Tls_1_3_is_inside_the_non_downgrading_profile_and_outside_the_extended_one()
    {
        var (client, server) = await HandshakeAsync(SslProtocols.Tls13, null);
        await using (client)
        await using (server)
        {
            Assert.Null(TlsProfiles.Violation(client, DicomTlsProfile.NonDowngradingBcp195));
            Assert.Equal("protocol Tls13 is outside the ExtendedBcp195 profile", TlsProfiles.Violation(client, DicomTlsProfile.ExtendedBcp195));
        }
    }

    [SkippableFact]
    public void Every_profile_is_enforced_by_a_policy_on_linux()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "cipher suite policies are a Linux and macOS feature; elsewhere the check after the handshake enforces the profile");
        foreach (var profile in Enum.GetValues<DicomTlsProfile>())
        {
            Assert.NotNull(TlsProfiles.Policy(profile));
        }
    }

    /// <summary>A TLS session on loopback between two plain SslStreams, the server held to the given protocol and suites.</summary>
    private static async Task<(SslStream Client, SslStream Server)> HandshakeAsync(SslProtocols protocol, CipherSuitesPolicy? policy)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accept = listener.AcceptTcpClientAsync();
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = new SslStream((await accept).GetStream(), leaveInnerStreamOpen: false);
        var client = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await Task.WhenAll(
            server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate, EnabledSslProtocols = protocol, CipherSuitesPolicy = policy,
            }),
            client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }));
        return (client, server);
    }
}
