using System.Buffers;
using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Network.UpperLayer;

/// <summary>Sending: P-DATA cut to the peer's maximum length and batched into large writes, and the PDU writes under the send timeout.</summary>
public sealed partial class UpperLayerConnection
{
    /// <summary>
    /// Evt9 per PDU (DT-1 or AR-7): sends <paramref name="data"/> as one message part in PDVs that fit the peer's
    /// maximum length, the last flagged as the last fragment.
    /// </summary>
    public async ValueTask SendPDataAsync(byte presentationContextId, bool isCommand, ReadOnlySequence<byte> data,
        CancellationToken cancellationToken = default)
    {
        var batch = new PDataBatch(this);
        do
        {
            var chunk = (int)Math.Min(batch.MaxData, data.Length);
            if (!batch.HasRoom(chunk))
            {
                await batch.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            data.Slice(0, chunk).CopyTo(batch.Add(chunk, presentationContextId, isCommand, chunk == data.Length));
            data = data.Slice(chunk);
        }
        while (!data.IsEmpty);
        await batch.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams <paramref name="length"/> bytes of a data set from <paramref name="source"/> straight into PDVs, so a
    /// file is sent without holding it in memory. The source is read synchronously: it is a file, mostly in the page
    /// cache, and an asynchronous file read would cost a thread-pool hop per PDV.
    /// </summary>
    /// <remarks><paramref name="padding"/> zero bytes follow the source's bytes (a deflated stream is sent even).</remarks>
    public async ValueTask SendPDataAsync(byte presentationContextId, Stream source, long length, int padding = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var batch = new PDataBatch(this);
        var remaining = length + padding;
        do
        {
            var chunk = (int)Math.Min(batch.MaxData, remaining);
            if (!batch.HasRoom(chunk))
            {
                await batch.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            var fromSource = (int)Math.Min(chunk, Math.Max(0, remaining - padding));
            remaining -= chunk;
            var target = batch.Add(chunk, presentationContextId, false, remaining == 0);
            source.ReadExactly(target[..fromSource]);
            target[fromSource..].Clear();
        }
        while (remaining > 0);
        await batch.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whole P-DATA-TF PDUs gathered into one socket write of up to <see cref="SendBatchLength"/> bytes: a peer's
    /// 16 KiB limit then costs one system call per 64 PDUs, not one each.
    /// </summary>
    private sealed class PDataBatch(UpperLayerConnection connection)
    {
        private readonly byte[] buffer = connection.RentSendBuffer(Math.Max(SendBatchLength,
            Pdu.HeaderLength + PresentationDataValue.HeaderLength + connection.MaxPdvDataLength));
        private int used;

        public int MaxData { get; } = connection.MaxPdvDataLength;

        public bool HasRoom(int dataLength) =>
            used + Pdu.HeaderLength + PresentationDataValue.HeaderLength + dataLength <= buffer.Length;

        /// <summary>Evt9: writes the headers of one PDU and returns where its data go.</summary>
        public Span<byte> Add(int dataLength, byte presentationContextId, bool isCommand, bool isLast)
        {
            connection.StateMachine.Fire(AssociationEvent.Evt9);
            var pdu = buffer.AsSpan(used);
            PduWriter.WritePDataHeader(pdu, (uint)(PresentationDataValue.HeaderLength + dataLength));
            PduWriter.WritePdvHeader(pdu[Pdu.HeaderLength..], dataLength, presentationContextId, isCommand, isLast);
            used += Pdu.HeaderLength + PresentationDataValue.HeaderLength + dataLength;
            return pdu.Slice(Pdu.HeaderLength + PresentationDataValue.HeaderLength, dataLength);
        }

        public async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            if (used > 0)
            {
                var length = used;
                used = 0;
                await connection.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Bytes of PDUs sent in one write.</summary>
    private const int SendBatchLength = 1024 * 1024;

    private byte[] RentSendBuffer(int needed)
    {
        if (sendBuffer is null || sendBuffer.Length < needed)
        {
            if (sendBuffer is not null)
            {
                ArrayPool<byte>.Shared.Return(sendBuffer);
            }
            sendBuffer = ArrayPool<byte>.Shared.Rent(needed);
        }
        return sendBuffer;
    }

    private async ValueTask TrySendAsync(Pdu pdu, CancellationToken cancellationToken)
    {
        try
        {
            await SendPduAsync(pdu, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The peer may be gone; the state machine has moved on regardless.
        }
    }

    private async ValueTask SendPduAsync(Pdu pdu, CancellationToken cancellationToken)
    {
        var bytes = PduWriter.ToArray(pdu);
        await WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (closed)
        {
            throw new IOException("The transport connection is closed.");
        }
        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        // One timer source for the connection, re-armed per write (a linked source per PDV would be an allocation and
        // a timer each); the caller's token is hooked to it only when it can fire.
        if (!sendTimeout.TryReset())
        {
            sendTimeout.Dispose();
            sendTimeout = new CancellationTokenSource();
        }
        sendTimeout.CancelAfter(options.SendTimeout);
        using var link = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), sendTimeout)
            : default;
        try
        {
            await transport.WriteAsync(bytes, sendTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await CloseTransportAsync().ConfigureAwait(false);
            throw new SendTimeoutException($"The peer did not read for {options.SendTimeout.TotalSeconds:0.#} s.");
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            await CloseTransportAsync().ConfigureAwait(false);
            throw new IOException("The transport connection failed while sending.", e);
        }
        finally
        {
            sendTimeout.CancelAfter(Timeout.InfiniteTimeSpan);
            sendLock.Release();
        }
    }
}
