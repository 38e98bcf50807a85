using System.Buffers;
using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Network.Dimse;

/// <summary>
/// Joins the command fragments of one DIMSE message (PS3.8 E.2: PDVs flagged as command, the last one marked).
/// Command sets are small, so they are gathered in memory, up to a bound.
/// </summary>
public sealed class CommandAssembler(int maxLength = CommandAssembler.DefaultMaxLength)
{
    /// <summary>Far above any real command set; a peer sending more is not sending a command.</summary>
    public const int DefaultMaxLength = 64 * 1024;

    private readonly ArrayBufferWriter<byte> buffer = new(256);

    public byte? PresentationContextId { get; private set; }

    /// <summary>True while fragments of a command have arrived but not its last one.</summary>
    public bool InProgress => PresentationContextId is not null;

    /// <summary>The joined command set after <see cref="Add"/> returned <see cref="CommandAssemblyStatus.Complete"/>.</summary>
    public ReadOnlySequence<byte> Command => new(buffer.WrittenMemory);

    public CommandAssemblyStatus Add(PresentationDataValue pdv)
    {
        if (PresentationContextId is { } id && id != pdv.PresentationContextId)
        {
            return CommandAssemblyStatus.ContextChanged;
        }
        if (buffer.WrittenCount + pdv.Data.Length > maxLength)
        {
            return CommandAssemblyStatus.TooLong;
        }
        PresentationContextId = pdv.PresentationContextId;
        foreach (var segment in pdv.Data)
        {
            buffer.Write(segment.Span);
        }
        return pdv.IsLastFragment ? CommandAssemblyStatus.Complete : CommandAssemblyStatus.NeedMore;
    }

    public void Reset()
    {
        buffer.Clear();
        PresentationContextId = null;
    }
}

public enum CommandAssemblyStatus
{
    NeedMore,
    Complete,
    /// <summary>Fragments of one command came on different presentation contexts.</summary>
    ContextChanged,
    TooLong,
}
