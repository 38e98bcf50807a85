namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>
/// Presentation Context Item of the A-ASSOCIATE-AC (item type 21H, PS3.8 9.3.3.2): the acceptor's answer to one
/// proposal. The transfer syntax is significant only when the result is acceptance.
/// </summary>
public sealed class PresentationContextResult(byte id, PresentationContextResultReason result, string transferSyntax)
{
    public byte Id { get; } = id;

    public PresentationContextResultReason Result { get; } = result;

    public string TransferSyntax { get; } = transferSyntax;

    public bool IsAccepted => Result == PresentationContextResultReason.Acceptance;

    public override string ToString() => $"[{Id}] {Result} {TransferSyntax}";
}

/// <summary>Result/Reason field of the AC presentation context item (PS3.8 Table 9-18).</summary>
public enum PresentationContextResultReason : byte
{
    /// <summary>acceptance.</summary>
    Acceptance = 0,
    /// <summary>user-rejection.</summary>
    UserRejection = 1,
    /// <summary>no-reason (provider rejection).</summary>
    NoReason = 2,
    /// <summary>abstract-syntax-not-supported (provider rejection).</summary>
    AbstractSyntaxNotSupported = 3,
    /// <summary>transfer-syntaxes-not-supported (provider rejection).</summary>
    TransferSyntaxesNotSupported = 4,
}
