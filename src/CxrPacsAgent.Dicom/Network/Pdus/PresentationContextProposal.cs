namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>
/// Presentation Context Item of the A-ASSOCIATE-RQ (item type 20H, PS3.8 9.3.2.2): an odd ID, one abstract syntax and
/// the transfer syntaxes the requestor can use for it, in its order of preference.
/// </summary>
public sealed class PresentationContextProposal(byte id, string abstractSyntax, IEnumerable<string> transferSyntaxes)
{
    public byte Id { get; } = id;

    public string AbstractSyntax { get; } = abstractSyntax;

    public List<string> TransferSyntaxes { get; } = [.. transferSyntaxes];

    public override string ToString() => $"[{Id}] {AbstractSyntax} ({string.Join(", ", TransferSyntaxes)})";
}
