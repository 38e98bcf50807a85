using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CxrPacsAgent.Dicom.Network.Tls;

/// <summary>
/// A site's own certificate authorities (a PEM bundle): certificates are checked against them alone, not against the
/// machine's trust store, so a hospital CA needs neither installing system-wide nor SSL_CERT_FILE.
/// </summary>
public static class CertificateAuthorities
{
    /// <summary>Extended key usage id-kp-clientAuth (RFC 5280 4.2.1.12).</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>Extended key usage id-kp-serverAuth.</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>Loads every certificate of a PEM file (one CA or a bundle).</summary>
    /// <exception cref="CryptographicException">The file holds no certificate, or a damaged one.</exception>
    public static X509Certificate2Collection LoadPem(string path)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        if (authorities.Count == 0)
        {
            throw new CryptographicException($"'{path}' holds no PEM certificate");
        }
        return authorities;
    }

    /// <summary>
    /// Null when <paramref name="certificate"/> chains to one of <paramref name="authorities"/>, is within its validity
    /// period and, if it names its uses, allows <paramref name="usage"/>; otherwise why not. Revocation is not checked
    /// (no CRL or OCSP responder is reachable from most hospital networks); a site that needs it supplies its own
    /// validation callback.
    /// </summary>
    public static string? Verify(X509Certificate2 certificate, X509Certificate2Collection authorities, string usage,
        X509Chain? presented = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(authorities);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        if (presented is not null)
        {
            // Intermediates the peer sent along with its certificate.
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        if (chain.Build(certificate))
        {
            return null;
        }
        return string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
    }

    /// <summary>
    /// The names a certificate gives its holder: the subject's common name and the DNS names of its subject alternative
    /// name; an AE title bound to a certificate must be one of them.
    /// </summary>
    public static IReadOnlyList<string> Names(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var names = new List<string>();
        if (certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } cn)
        {
            names.Add(cn);
        }
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            names.AddRange(extension.EnumerateDnsNames());
        }
        return names;
    }
}
