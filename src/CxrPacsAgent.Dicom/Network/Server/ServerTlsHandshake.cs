using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CxrPacsAgent.Dicom.Network.Tls;

namespace CxrPacsAgent.Dicom.Network.Server;

/// <summary>
/// The server side of a TLS handshake: held to the configured PS3.15 profile, with the default client certificate
/// checks of <see cref="ServerTlsOptions"/> or the site's own callback, and checked once more after it completes.
/// </summary>
internal static class ServerTlsHandshake
{
    /// <summary>The secured stream, or null with the failure and what went wrong (the stream is then disposed).</summary>
    public static async Task<(SslStream? Stream, AssociationFailure Failure, string Problem)> RunAsync(Stream stream, ServerTlsOptions tls,
        CancellationToken deadline, CancellationToken stopping)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        string? certificateProblem = null;
        var authentication = new SslServerAuthenticationOptions
        {
            ServerCertificate = tls.ServerCertificate,
            ClientCertificateRequired = tls.AsksForClientCertificate,
            EnabledSslProtocols = TlsProfiles.Protocols(tls.Profile),
            CipherSuitesPolicy = TlsProfiles.Policy(tls.Profile),
            RemoteCertificateValidationCallback = tls.ClientCertificateValidation ?? ((_, certificate, chain, errors) =>
            {
                certificateProblem = tls.CheckClientCertificate(certificate, chain, errors);
                return certificateProblem is null;
            }),
        };
        AssociationFailure failure;
        string problem;
        try
        {
            await ssl.AuthenticateAsServerAsync(authentication, deadline).ConfigureAwait(false);
            if (TlsProfiles.Violation(ssl, tls.Profile) is not { } violation)
            {
                return (ssl, AssociationFailure.None, "");
            }
            (failure, problem) = (AssociationFailure.TlsProfileViolation, violation);
        }
        catch (Exception e) when (e is AuthenticationException or IOException
            || (e is OperationCanceledException && !stopping.IsCancellationRequested))
        {
            (failure, problem) = (AssociationFailure.TlsHandshakeFailed,
                certificateProblem ?? (e is OperationCanceledException ? "not complete before the association request deadline" : e.Message));
        }
        await ssl.DisposeAsync().ConfigureAwait(false);
        return (null, failure, problem);
    }

    /// <summary>True when <paramref name="callingAe"/> is one of the certificate's names (common name, DNS SANs).</summary>
    public static bool Names(X509Certificate2? certificate, string callingAe) =>
        certificate is not null && CertificateAuthorities.Names(certificate).Contains(callingAe.Trim(), StringComparer.Ordinal);
}
