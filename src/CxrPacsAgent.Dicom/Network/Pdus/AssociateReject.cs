namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>A-ASSOCIATE-RJ PDU (PS3.8 9.3.4): result, source and reason as Table 9-21 lists them.</summary>
public sealed class AssociateReject(AssociateRejectResult result, AssociateRejectReason reason) : Pdu
{
    public override PduType Type => PduType.AssociateReject;

    public AssociateRejectResult Result { get; } = result;

    /// <summary>Source and reason/diag. together, since the reason byte means different things per source.</summary>
    public AssociateRejectReason Reason { get; } = reason;

    public AssociateRejectSource Source => (AssociateRejectSource)((ushort)Reason >> 8);

    public override string ToString() => $"A-ASSOCIATE-RJ {Result}, {Source}, {Reason.Describe()}";

    // The combinations an acceptor gives, named for what caused them.
    public static AssociateReject NoReasonGiven() =>
        new(AssociateRejectResult.RejectedPermanent, AssociateRejectReason.NoReasonGiven);

    /// <summary>Permanent, ACSE service-provider, no-reason-given: a refused user identity (PS3.7 D.3.3.7).</summary>
    public static AssociateReject AcseNoReasonGiven() =>
        new(AssociateRejectResult.RejectedPermanent, AssociateRejectReason.AcseNoReasonGiven);

    public static AssociateReject ApplicationContextNameNotSupported() =>
        new(AssociateRejectResult.RejectedPermanent, AssociateRejectReason.ApplicationContextNameNotSupported);

    public static AssociateReject CallingAeTitleNotRecognized() =>
        new(AssociateRejectResult.RejectedPermanent, AssociateRejectReason.CallingAeTitleNotRecognized);

    public static AssociateReject CalledAeTitleNotRecognized() =>
        new(AssociateRejectResult.RejectedPermanent, AssociateRejectReason.CalledAeTitleNotRecognized);

    public static AssociateReject ProtocolVersionNotSupported() =>
        new(AssociateRejectResult.RejectedPermanent, AssociateRejectReason.ProtocolVersionNotSupported);

    public static AssociateReject TemporaryCongestion() =>
        new(AssociateRejectResult.RejectedTransient, AssociateRejectReason.TemporaryCongestion);

    public static AssociateReject LocalLimitExceeded() =>
        new(AssociateRejectResult.RejectedTransient, AssociateRejectReason.LocalLimitExceeded);
}

/// <summary>Result field of the A-ASSOCIATE-RJ PDU.</summary>
public enum AssociateRejectResult : byte
{
    RejectedPermanent = 1,
    RejectedTransient = 2,
}

/// <summary>Source field of the A-ASSOCIATE-RJ PDU.</summary>
public enum AssociateRejectSource : byte
{
    /// <summary>DICOM UL service-user.</summary>
    ServiceUser = 1,
    /// <summary>DICOM UL service-provider (ACSE related function).</summary>
    ServiceProviderAcse = 2,
    /// <summary>DICOM UL service-provider (Presentation related function).</summary>
    ServiceProviderPresentation = 3,
}

/// <summary>
/// Source (high byte) and Reason/Diag. (low byte) of the A-ASSOCIATE-RJ PDU, PS3.8 Table 9-21. Values the table marks
/// reserved can still arrive; they keep their bytes and describe themselves as reserved.
/// </summary>
public enum AssociateRejectReason : ushort
{
    /// <summary>Source 1, reason 1: no-reason-given.</summary>
    NoReasonGiven = 0x0101,
    /// <summary>Source 1, reason 2: application-context-name-not-supported.</summary>
    ApplicationContextNameNotSupported = 0x0102,
    /// <summary>Source 1, reason 3: calling-AE-title-not-recognized.</summary>
    CallingAeTitleNotRecognized = 0x0103,
    /// <summary>Source 1, reason 7: called-AE-title-not-recognized.</summary>
    CalledAeTitleNotRecognized = 0x0107,
    /// <summary>Source 2, reason 1: no-reason-given.</summary>
    AcseNoReasonGiven = 0x0201,
    /// <summary>Source 2, reason 2: protocol-version-not-supported.</summary>
    ProtocolVersionNotSupported = 0x0202,
    /// <summary>Source 3, reason 1: temporary-congestion.</summary>
    TemporaryCongestion = 0x0301,
    /// <summary>Source 3, reason 2: local-limit-exceeded.</summary>
    LocalLimitExceeded = 0x0302,
}

public static class AssociateRejectReasonExtensions
{
    /// <summary>The standard's wording (PS3.8 Table 9-21).</summary>
    public static string Describe(this AssociateRejectReason reason) => reason switch
    {
        AssociateRejectReason.NoReasonGiven or AssociateRejectReason.AcseNoReasonGiven => "no-reason-given",
        AssociateRejectReason.ApplicationContextNameNotSupported => "application-context-name-not-supported",
        AssociateRejectReason.CallingAeTitleNotRecognized => "calling-AE-title-not-recognized",
        AssociateRejectReason.CalledAeTitleNotRecognized => "called-AE-title-not-recognized",
        AssociateRejectReason.ProtocolVersionNotSupported => "protocol-version-not-supported",
        AssociateRejectReason.TemporaryCongestion => "temporary-congestion",
        AssociateRejectReason.LocalLimitExceeded => "local-limit-exceeded",
        _ => $"reserved ({(ushort)reason >> 8}/{(byte)reason})",
    };

    internal static AssociateRejectReason Combine(byte source, byte reason) => (AssociateRejectReason)((source << 8) | reason);
}
