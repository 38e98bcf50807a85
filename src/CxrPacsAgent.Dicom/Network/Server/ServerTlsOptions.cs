using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace CxrPacsAgent.Dicom.Network.Server;

/// <summary>TLS for a server (PS3.15 B.1, BCP 195): its certificate and what it asks of clients.</summary>
public sealed record ServerTlsOptions
{
    public required X509Certificate2 ServerCertificate { get; init; }

    /// <summary>Refuse clients without a certificate that validates.</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>
    /// Custom client certificate check (e.g. pinning a site CA). Null: with a required client certificate, the chain
    /// must validate against the machine's trust store.
    /// </summary>
    public RemoteCertificateValidationCallback? ClientCertificateValidation { get; init; }

    public SslProtocols EnabledProtocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;
}
