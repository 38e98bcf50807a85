using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Network.UpperLayer;

/// <summary>Limits and timers of one upper layer connection.</summary>
public sealed record UpperLayerOptions
{
    public static UpperLayerOptions Default { get; } = new();

    /// <summary>
    /// The Maximum Length we announce (PS3.8 D.1) and enforce on received P-DATA-TF PDUs. Larger PDUs mean fewer
    /// system calls; each association buffers at most one PDU of this size.
    /// </summary>
    public uint MaxReceivePduLength { get; init; } = 256 * 1024;

    /// <summary>Our own cap on P-DATA-TF PDUs we send, also used when the peer announces 0 (no limit).</summary>
    public uint MaxSendPduLength { get; init; } = 256 * 1024;

    /// <summary>Largest A-ASSOCIATE-RQ/AC accepted.</summary>
    public uint MaxAssociatePduLength { get; init; } = PduReaderLimits.DefaultMaxAssociateLength;

    /// <summary>ARTIM (PS3.8 9.1.5): waiting for an A-ASSOCIATE-RQ, or for the peer to close after RJ/RP/A-ABORT.</summary>
    public TimeSpan ArtimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest a single send may block on a peer that does not read.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
