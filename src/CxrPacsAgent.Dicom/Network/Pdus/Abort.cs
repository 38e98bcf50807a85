namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>A-ABORT PDU (PS3.8 9.3.8).</summary>
public sealed class Abort(AbortSource source, AbortReason reason) : Pdu
{
    public override PduType Type => PduType.Abort;

    public AbortSource Source { get; } = source;

    /// <summary>Only significant when the source is the service-provider; 0 otherwise.</summary>
    public AbortReason Reason { get; } = reason;

    public override string ToString() => $"A-ABORT {Source}, {Reason}";

    /// <summary>An abort asked for by the local user (e.g. a timeout or a failed operation).</summary>
    public static Abort ByServiceUser() => new(AbortSource.ServiceUser, AbortReason.ReasonNotSpecified);

    public static Abort ByServiceProvider(AbortReason reason) => new(AbortSource.ServiceProvider, reason);
}

/// <summary>Source field of the A-ABORT PDU (PS3.8 Table 9-26).</summary>
public enum AbortSource : byte
{
    /// <summary>DICOM UL service-user (initiated abort).</summary>
    ServiceUser = 0,
    /// <summary>Reserved.</summary>
    Reserved = 1,
    /// <summary>DICOM UL service-provider (initiated abort).</summary>
    ServiceProvider = 2,
}

/// <summary>Reason/Diag. field of the A-ABORT PDU (PS3.8 Table 9-26).</summary>
public enum AbortReason : byte
{
    /// <summary>reason-not-specified.</summary>
    ReasonNotSpecified = 0,
    /// <summary>unrecognized-PDU.</summary>
    UnrecognizedPdu = 1,
    /// <summary>unexpected-PDU.</summary>
    UnexpectedPdu = 2,
    /// <summary>Reserved.</summary>
    Reserved = 3,
    /// <summary>unrecognized-PDU parameter.</summary>
    UnrecognizedPduParameter = 4,
    /// <summary>unexpected-PDU parameter.</summary>
    UnexpectedPduParameter = 5,
    /// <summary>invalid-PDU-parameter value.</summary>
    InvalidPduParameterValue = 6,
}
