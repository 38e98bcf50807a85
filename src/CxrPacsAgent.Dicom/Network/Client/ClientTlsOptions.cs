using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CxrPacsAgent.Dicom.Network.Tls;

namespace CxrPacsAgent.Dicom.Network.Client;

/// <summary>TLS for a client: whom it expects to talk to, its profile and the certificate it shows.</summary>
public sealed record ClientTlsOptions
{
    /// <summary>The name the server certificate must carry; defaults to the host connected to.</summary>
    public string? TargetHost { get; init; }

    /// <summary>The protocols and cipher suites allowed (PS3.15 Annex B); the default is B.10, non-downgrading BCP 195.</summary>
    public DicomTlsProfile Profile { get; init; } = DicomTlsProfile.NonDowngradingBcp195;

    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// The site's certificate authorities the server certificate must chain to, instead of the machine's trust store
    /// (its name must still match <see cref="TargetHost"/>).
    /// </summary>
    public X509Certificate2Collection? ServerCertificateAuthorities { get; init; }

    /// <summary>Custom server certificate check (e.g. a pinned certificate); it replaces the checks above.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    /// <summary>The callback SslStream runs: the custom one, the site CAs, or null for the trust store.</summary>
    internal RemoteCertificateValidationCallback? Validation => ServerCertificateValidation ?? (ServerCertificateAuthorities is not { } authorities
        ? null
        : (_, certificate, chain, errors) => certificate is X509Certificate2 server
            && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
            && (errors & SslPolicyErrors.RemoteCertificateNotAvailable) == 0
            && CertificateAuthorities.Verify(server, authorities, CertificateAuthorities.ServerAuthentication, chain) is null);
}
