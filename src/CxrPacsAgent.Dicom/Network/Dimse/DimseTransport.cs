using System.Buffers;
using CxrPacsAgent.Dicom.Network.UpperLayer;

namespace CxrPacsAgent.Dicom.Network.Dimse;

/// <summary>Sends DIMSE messages over an upper layer connection, fragmented to the peer's maximum length.</summary>
public static class DimseTransport
{
    public static ValueTask SendCommandAsync(this UpperLayerConnection connection, byte presentationContextId, DimseMessage message,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(message);
        var bytes = CommandSet.Encode(message.ToCommand());
        return connection.SendPDataAsync(presentationContextId, isCommand: true, new ReadOnlySequence<byte>(bytes), cancellationToken);
    }
}
