using System.Net.Security;
using System.Security.Authentication;

namespace CxrPacsAgent.Dicom.Network.Tls;

/// <summary>
/// What each <see cref="DicomTlsProfile"/> allows, set on both ends of every handshake: the protocols, and the cipher
/// suites as a <see cref="CipherSuitesPolicy"/> where the platform takes one (Linux, macOS). Whatever the platform,
/// the negotiated protocol and suite are checked after the handshake, so a connection outside the profile is closed.
/// </summary>
public static class TlsProfiles
{
    private static readonly TlsCipherSuite[] Tls13 =
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    ];

    // RFC 7525 4.2's recommended suites, as PS3.15 B.9–B.11 list them; strongest first (a server picks in its own order).
    private static readonly TlsCipherSuite[] Bcp195Tls12 =
    [
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
    ];

    public static SslProtocols Protocols(DicomTlsProfile profile) =>
        profile == DicomTlsProfile.ExtendedBcp195 ? SslProtocols.Tls12 : SslProtocols.Tls12 | SslProtocols.Tls13;

    public static IReadOnlyList<TlsCipherSuite> CipherSuites(DicomTlsProfile profile) => profile switch
    {
        DicomTlsProfile.ExtendedBcp195 =>
        [
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, .. Bcp195Tls12, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ],
        DicomTlsProfile.Bcp195 => [.. Tls13, .. Bcp195Tls12, TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA],
        _ => [.. Tls13, .. Bcp195Tls12],
    };

    /// <summary>The policy to hand to SslStream, or null where the platform does not take one (Windows).</summary>
    public static CipherSuitesPolicy? Policy(DicomTlsProfile profile)
    {
        if (OperatingSystem.IsWindows() || OperatingSystem.IsAndroid() || OperatingSystem.IsBrowser())
        {
            return null;
        }
        try
        {
            return new CipherSuitesPolicy(CipherSuites(profile));
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Null when the handshake stayed inside the profile; otherwise what it negotiated, for the log.</summary>
    public static string? Violation(SslStream stream, DicomTlsProfile profile)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if ((Protocols(profile) & stream.SslProtocol) == 0)
        {
            return $"protocol {stream.SslProtocol} is outside the {profile} profile";
        }
        return CipherSuites(profile).Contains(stream.NegotiatedCipherSuite)
            ? null
            : $"cipher suite {stream.NegotiatedCipherSuite} is outside the {profile} profile";
    }
}
