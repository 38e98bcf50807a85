using CxrPacsAgent.Dicom.Network.Pdus;
using CxrPacsAgent.Dicom.Network.UpperLayer;

namespace CxrPacsAgent.Dicom.Network.Client;

/// <summary>Configuration of an SCU association.</summary>
public sealed record DicomClientOptions
{
    /// <summary>Our AE title (a neutral default; the application names itself).</summary>
    public string CallingAeTitle { get; init; } = "ANY-SCU";

    public string CalledAeTitle { get; init; } = "ANY-SCP";

    /// <summary>Maximum length we announce and our own cap on what we send.</summary>
    public UpperLayerOptions UpperLayer { get; init; } = UpperLayerOptions.Default;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for the A-ASSOCIATE-AC/RJ and for the A-RELEASE-RP.</summary>
    public TimeSpan AcseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a DIMSE response.</summary>
    public TimeSpan DimseTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public ClientTlsOptions? Tls { get; init; }

    /// <summary>Offered to the acceptor in the A-ASSOCIATE-RQ (PS3.7 D.3.3.7).</summary>
    public UserIdentityNegotiation? UserIdentity { get; init; }

    public NetworkLog? Log { get; init; }
}
