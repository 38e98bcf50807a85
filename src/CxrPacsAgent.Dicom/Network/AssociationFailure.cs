namespace CxrPacsAgent.Dicom.Network;

/// <summary>
/// Why a connection or an association ended other than by A-RELEASE, on either side: the value logs and metrics count
/// (as <see cref="Pdus.PduRejectionReason"/> is for malformed PDUs).
/// </summary>
public enum AssociationFailure
{
    None = 0,
    /// <summary>SCP: the connection was closed at once, over the limit of open connections (in all or from its address).</summary>
    ConnectionLimit,
    /// <summary>SCU: the TCP connection could not be opened in time.</summary>
    ConnectFailed,
    /// <summary>The TLS handshake failed: no common protocol or cipher suite, or a certificate was refused.</summary>
    TlsHandshakeFailed,
    /// <summary>The TLS handshake succeeded on a protocol or cipher suite outside the configured profile.</summary>
    TlsProfileViolation,
    /// <summary>
    /// ACSE timeout. SCP: no complete A-ASSOCIATE-RQ within the association request timeout. SCU: no A-ASSOCIATE-AC or
    /// -RJ, or no A-RELEASE-RP, in time.
    /// </summary>
    AcseTimeout,
    /// <summary>An A-ASSOCIATE-RJ was sent (SCP) or received (SCU); <c>AssociationRejection</c> says why.</summary>
    Rejected,
    /// <summary>Bytes that are not a valid PDU (<see cref="Pdus.PduRejectionReason"/> says which).</summary>
    InvalidPdu,
    /// <summary>A PDU the state machine does not allow in this state (PS3.8 Table 9-10, AA-8).</summary>
    UnexpectedPdu,
    /// <summary>The peer sent an A-ABORT.</summary>
    AbortedByPeer,
    /// <summary>The transport connection closed or failed without an A-ABORT.</summary>
    ConnectionLost,
    /// <summary>SCP: no message between messages for the idle timeout.</summary>
    IdleTimeout,
    /// <summary>Nothing for the DIMSE timeout inside a message (SCP), or no response in time (SCU).</summary>
    DimseTimeout,
    /// <summary>The peer did not read what was sent within the send timeout.</summary>
    SendTimeout,
    /// <summary>A DIMSE-level violation (<see cref="Dimse.DimseViolation"/> says which); the association is aborted.</summary>
    DimseViolation,
    /// <summary>The peer released the association while a response was awaited (SCU).</summary>
    ReleasedEarly,
    /// <summary>The local side stopped (server shutdown).</summary>
    Stopping,
}
