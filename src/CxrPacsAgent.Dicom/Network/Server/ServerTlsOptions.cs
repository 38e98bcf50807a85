using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CxrPacsAgent.Dicom.Network.Tls;

namespace CxrPacsAgent.Dicom.Network.Server;

/// <summary>TLS for a server (PS3.15 B.9–B.11, BCP 195): its certificate, its profile and what it asks of clients.</summary>
public sealed record ServerTlsOptions
{
    public required X509Certificate2 ServerCertificate { get; init; }

    /// <summary>The protocols and cipher suites allowed (PS3.15 Annex B); the default is B.10, non-downgrading BCP 195.</summary>
    public DicomTlsProfile Profile { get; init; } = DicomTlsProfile.NonDowngradingBcp195;

    /// <summary>Refuse clients without a certificate that validates.</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>
    /// The site's certificate authorities (e.g. <see cref="CertificateAuthorities.LoadPem"/> of the hospital's CA bundle)
    /// that client certificates must chain to; the machine's trust store then does not count. Setting them asks every
    /// client for a certificate: one that does not chain to them (or is expired, or not for client authentication) is
    /// refused, and a client without one is admitted only when <see cref="RequireClientCertificate"/> is false.
    /// </summary>
    public X509Certificate2Collection? ClientCertificateAuthorities { get; init; }

    /// <summary>
    /// The calling AE title must be one of the names of the client's certificate (its common name or a DNS subject
    /// alternative name), or the association is rejected as calling-AE-title-not-recognized: a certificate then
    /// vouches for one AE, not for any title its holder chooses to send.
    /// </summary>
    public bool BindClientCertificateToCallingAe { get; init; }

    /// <summary>
    /// Custom client certificate check (e.g. pinning, or revocation); it replaces the checks above. Null: a client
    /// certificate must chain to <see cref="ClientCertificateAuthorities"/>, or to the machine's trust store when none
    /// are given; a certificate that fails is refused even when none is required.
    /// </summary>
    public RemoteCertificateValidationCallback? ClientCertificateValidation { get; init; }

    /// <summary>Whether clients are asked for a certificate at all.</summary>
    internal bool AsksForClientCertificate =>
        RequireClientCertificate || ClientCertificateAuthorities is not null || BindClientCertificateToCallingAe;

    /// <summary>The default client certificate check; null when the certificate is acceptable, else why not.</summary>
    internal string? CheckClientCertificate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return RequireClientCertificate || BindClientCertificateToCallingAe ? "no client certificate" : null;
        }
        if (ClientCertificateAuthorities is { } authorities)
        {
            return certificate is not X509Certificate2 presented ? "client certificate of an unknown kind"
                : CertificateAuthorities.Verify(presented, authorities, CertificateAuthorities.ClientAuthentication, chain) is { } problem
                    ? "client certificate refused: " + problem
                    : null;
        }
        // Against the trust store; a name mismatch does not apply to a client.
        return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None ? null : $"client certificate refused: {errors}";
    }
}
