using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Network.UpperLayer;

/// <summary>Limits and timers of one upper layer connection.</summary>
public sealed record UpperLayerOptions
{
    public static UpperLayerOptions Default { get; } = new();

    /// <summary>
    /// The Maximum Length we announce (PS3.8 D.1); 0 announces "no limit". Larger PDUs mean fewer system calls; each
    /// association buffers at most one received PDU (see <see cref="MaxReceivePduLengthAccepted"/>).
    /// </summary>
    public uint MaxReceivePduLength { get; init; } = 256 * 1024;

    /// <summary>
    /// The largest P-DATA-TF PDU accepted, whatever we announced: a peer whose PDUs slightly exceed our Maximum Length
    /// (or any PDU, when we announce 0) is tolerated up to this hard cap, as dcm4che does, rather than aborted. An
    /// announced maximum above it raises it. It bounds what one association buffers.
    /// </summary>
    public uint ReceivePduHardLimit { get; init; } = 1024 * 1024;

    /// <summary>Our own cap on P-DATA-TF PDUs we send, also used when the peer announces 0 (no limit).</summary>
    public uint MaxSendPduLength { get; init; } = 256 * 1024;

    /// <summary>
    /// Largest A-ASSOCIATE-RQ/AC accepted. Real ones are a few KiB (128 presentation contexts with their role
    /// selections fit in about 20 KiB); the bound also caps what a connection that never completes its request holds.
    /// </summary>
    public uint MaxAssociatePduLength { get; init; } = PduReaderLimits.DefaultMaxAssociateLength;

    /// <summary>ARTIM (PS3.8 9.1.5): waiting for an A-ASSOCIATE-RQ, or for the peer to close after RJ/RP/A-ABORT.</summary>
    public TimeSpan ArtimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest a single send may block on a peer that does not read.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The P-DATA-TF length actually enforced on receive.</summary>
    public uint MaxReceivePduLengthAccepted => Math.Max(MaxReceivePduLength, ReceivePduHardLimit);
}
