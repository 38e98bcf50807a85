using System.Net;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Storage;
using CxrPacsAgent.Dicom.Network.UpperLayer;

namespace CxrPacsAgent.Dicom.Network.Server;

/// <summary>Configuration of a <see cref="DicomServer"/>: the listener, association policy, limits and timeouts.</summary>
public sealed record DicomServerOptions
{
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>TCP port; 0 picks a free one (see <see cref="DicomServer.Port"/>).</summary>
    public int Port { get; init; } = 104;

    public AcceptorPolicy Policy { get; init; } = new();

    /// <summary>Maximum length announced, ARTIM (the ACSE timeout) and send timeout.</summary>
    public UpperLayerOptions UpperLayer { get; init; } = UpperLayerOptions.Default;

    /// <summary>
    /// Established associations at once; one more is rejected with local-limit-exceeded (transient). Sized for a site
    /// where many modalities and routers send at once: an association buffers at most one PDU, so 64 cost about
    /// 64 × 1.3 MiB at worst (docs/BENCHMARKS.md, "Connection and association limits").
    /// </summary>
    public int MaxAssociations { get; init; } = 64;

    /// <summary>
    /// Associations one calling address may hold at once; one more is rejected with local-limit-exceeded, so a sender
    /// that leaves its associations idle cannot take the slots of every other one.
    /// </summary>
    public int MaxAssociationsPerAddress { get; init; } = 16;

    /// <summary>
    /// Open connections at once, associated or not; beyond this a connection is closed at once. Bounds what idle or
    /// half-open connections can hold.
    /// </summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>Open connections from one calling address; beyond this its next connection is closed at once.</summary>
    public int MaxConnectionsPerAddress { get; init; } = 32;

    /// <summary>
    /// Longest a new connection may take to complete its A-ASSOCIATE-RQ, TLS handshake included; then it is closed.
    /// Real peers send it within milliseconds of connecting, so a connection that dribbles bytes or says nothing is
    /// freed long before the ARTIM timeout.
    /// </summary>
    public TimeSpan AssociationRequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest silence in the middle of a DIMSE message before the association is aborted.</summary>
    public TimeSpan DimseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest silence between DIMSE messages before the association is aborted.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>TLS on every connection; null for plain TCP.</summary>
    public ServerTlsOptions? Tls { get; init; }

    /// <summary>Where received instances go; null refuses every C-STORE (a verification-only SCP).</summary>
    public StorageOptions? Storage { get; init; }

    public NetworkLog? Log { get; init; }
}
