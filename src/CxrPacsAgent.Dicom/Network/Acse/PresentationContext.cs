namespace CxrPacsAgent.Dicom.Network.Acse;

/// <summary>An accepted presentation context: what its ID means for the rest of the association.</summary>
public sealed record PresentationContext(byte Id, string AbstractSyntax, string TransferSyntax);
