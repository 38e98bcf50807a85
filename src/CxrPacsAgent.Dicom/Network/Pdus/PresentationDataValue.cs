using System.Buffers;

namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>
/// One PDV item of a P-DATA-TF PDU (PS3.8 9.3.5.1, message control header of Annex E.2). <see cref="Data"/> points
/// into the buffer the PDU was read from and is valid only until that buffer is released.
/// </summary>
public readonly record struct PresentationDataValue(byte PresentationContextId, bool IsCommand, bool IsLastFragment,
    ReadOnlySequence<byte> Data)
{
    /// <summary>Item length (4), presentation context ID (1) and message control header (1).</summary>
    public const int HeaderLength = 6;

    internal byte MessageControlHeader => (byte)((IsCommand ? 1 : 0) | (IsLastFragment ? 2 : 0));
}
