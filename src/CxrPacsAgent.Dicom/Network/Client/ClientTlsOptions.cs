using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace CxrPacsAgent.Dicom.Network.Client;

/// <summary>TLS for a client: whom it expects to talk to and the certificate it shows.</summary>
public sealed record ClientTlsOptions
{
    /// <summary>The name the server certificate must carry; defaults to the host connected to.</summary>
    public string? TargetHost { get; init; }

    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Custom server certificate check (e.g. a site CA or a pinned certificate); null uses the trust store.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    public SslProtocols EnabledProtocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;
}
