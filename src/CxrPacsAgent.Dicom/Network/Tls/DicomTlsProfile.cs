namespace CxrPacsAgent.Dicom.Network.Tls;

/// <summary>
/// The Secure Transport Connection Profiles of PS3.15 Annex B that this toolkit offers; each is enforced by our own
/// protocol and cipher suite policy (<see cref="TlsProfiles"/>), not left to the host's TLS defaults.
/// </summary>
public enum DicomTlsProfile
{
    /// <summary>
    /// PS3.15 B.10, Non-Downgrading BCP 195 TLS Secure Transport Connection Profile: TLS 1.2 with
    /// TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
    /// and TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, or TLS 1.3 (AES-GCM, ChaCha20-Poly1305); never anything older. The
    /// default, as in DCMTK.
    /// </summary>
    NonDowngradingBcp195 = 0,

    /// <summary>
    /// PS3.15 B.11, Extended BCP 195 TLS Profile: TLS 1.2 only, the four suites above plus
    /// TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 and TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384.
    /// </summary>
    ExtendedBcp195,

    /// <summary>
    /// PS3.15 B.9, BCP 195 TLS Secure Transport Connection Profile: as the non-downgrading profile, plus
    /// TLS_RSA_WITH_AES_128_CBC_SHA on TLS 1.2 for older peers. The fallback to TLS 1.0/1.1 that B.9 still permits
    /// is not offered (RFC 8996 deprecates both).
    /// </summary>
    Bcp195,
}
