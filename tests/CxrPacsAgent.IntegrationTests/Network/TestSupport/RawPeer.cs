using System.Buffers;
using System.Net.Sockets;
using CxrPacsAgent.Dicom;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.IntegrationTests.Network.TestSupport;

/// <summary>
/// A peer that speaks PDUs by hand over a plain socket, so a test can send what no well-behaved implementation
/// would: half a data set, a wrong context, a hostile length, or nothing at all.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly Socket socket;
    private readonly NetworkStream stream;
    private byte[] pending = [];

    private RawPeer(Socket socket)
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: false);
    }

    /// <summary>Connects to our SCP on 127.0.0.1, from <paramref name="source"/> when given (e.g. <see cref="Loopback.Other"/>).</summary>
    public static async Task<RawPeer> ConnectAsync(int port, System.Net.IPAddress? source = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (source is not null)
        {
            socket.Bind(new System.Net.IPEndPoint(source, 0));
        }
        await socket.ConnectAsync(Loopback.Host, port);
        return new RawPeer(socket);
    }

    public Task SendAsync(byte[] bytes) => stream.WriteAsync(bytes).AsTask();

    public Task SendAsync(Pdu pdu) => SendAsync(PduWriter.ToArray(pdu));

    /// <summary>Sends the A-ASSOCIATE-RQ and returns the answer (AC or RJ).</summary>
    public async Task<Pdu> RequestAsync(string calledAeTitle, uint maxLength, params PresentationContextProposal[] contexts)
    {
        var rq = new AssociateRequest { CalledAeTitle = calledAeTitle, CallingAeTitle = "RAWPEER" };
        rq.PresentationContexts.AddRange(contexts);
        rq.UserInformation.MaximumLength = maxLength;
        rq.UserInformation.ImplementationClassUid = "1.2.3.4";
        await SendAsync(rq);
        return await ReadPduAsync(TimeSpan.FromSeconds(5)) ?? throw new IOException("closed before answering the A-ASSOCIATE-RQ");
    }

    public async Task<AssociateAccept> AssociateAsync(params PresentationContextProposal[] contexts)
    {
        var answer = await RequestAsync(TestServer.AeTitle, 16384, contexts);
        return Assert.IsType<AssociateAccept>(answer);
    }

    public Task SendCommandAsync(byte contextId, DimseMessage message) =>
        SendPdvAsync(contextId, isCommand: true, CommandSet.Encode(message.ToCommand()), last: true);

    public Task SendPdvAsync(byte contextId, bool isCommand, ReadOnlyMemory<byte> data, bool last) =>
        SendAsync(new PDataTransfer([new PresentationDataValue(contextId, isCommand, last, new ReadOnlySequence<byte>(data))]));

    /// <summary>Sends a data set in PDVs of <paramref name="fragment"/> bytes, the last flagged unless told otherwise.</summary>
    public async Task SendDatasetAsync(byte contextId, byte[] data, int fragment = 16000, bool markLast = true)
    {
        for (var offset = 0; offset < data.Length; offset += fragment)
        {
            var length = Math.Min(fragment, data.Length - offset);
            await SendPdvAsync(contextId, false, data.AsMemory(offset, length), markLast && offset + length == data.Length);
        }
    }

    /// <summary>The next PDU, or null once the server has closed the connection.</summary>
    public async Task<Pdu?> ReadPduAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var limits = new PduReaderLimits(uint.MaxValue - 6, 1 << 24);
        while (true)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(pending));
            var status = PduReader.TryRead(ref reader, limits, out var pdu, out var rejection);
            if (status == PduReadStatus.Complete)
            {
                pending = pending[(int)reader.Consumed..];
                // PDV data point into the buffer just dropped: copy the PDU out of it.
                return pdu is PDataTransfer ? Copy((PDataTransfer)pdu) : pdu;
            }
            if (status == PduReadStatus.Rejected)
            {
                throw new InvalidDataException($"the server sent an invalid PDU: {rejection}");
            }
            var buffer = new byte[65536];
            int n;
            try
            {
                n = await stream.ReadAsync(buffer, cts.Token);
            }
            catch (IOException)
            {
                n = 0;
            }
            if (n == 0)
            {
                return null;
            }
            pending = [.. pending, .. buffer.AsSpan(0, n)];
        }
    }

    /// <summary>Reads P-DATA until a whole command set has arrived (data set PDVs are skipped).</summary>
    public async Task<DicomDataset> ReadCommandAsync(TimeSpan timeout)
    {
        var assembler = new CommandAssembler();
        while (true)
        {
            var pdu = await ReadPduAsync(timeout) ?? throw new IOException("closed while a response was awaited");
            var data = Assert.IsType<PDataTransfer>(pdu);
            foreach (var pdv in data.Values.Where(v => v.IsCommand))
            {
                if (assembler.Add(pdv) == CommandAssemblyStatus.Complete)
                {
                    Assert.True(CommandSet.TryDecode(assembler.Command, out var command, out var error), error);
                    return command;
                }
            }
        }
    }

    /// <summary>True if the server closed within <paramref name="timeout"/>; what it sent meanwhile is returned.</summary>
    public async Task<(bool Closed, List<Pdu> Received)> WaitClosedAsync(TimeSpan timeout)
    {
        var received = new List<Pdu>();
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                var pdu = await ReadPduAsync(deadline - DateTime.UtcNow);
                if (pdu is null)
                {
                    return (true, received);
                }
                received.Add(pdu);
            }
        }
        catch (OperationCanceledException)
        {
            // The deadline passed with the connection still open: reported as not closed, for the caller to assert on.
        }
        return (false, received);
    }

    /// <summary>Half-closes: the server sees the end of the stream.</summary>
    public void ShutdownSend() => socket.Shutdown(SocketShutdown.Send);

    public ValueTask DisposeAsync()
    {
        stream.Dispose();
        socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private static PDataTransfer Copy(PDataTransfer pdu) =>
        new(pdu.Values.Select(v => v with { Data = new ReadOnlySequence<byte>(v.Data.ToArray()) }));

    /// <summary>The C-STORE-RQ (message ID 1) and the data set bytes of a file, for sending by hand.</summary>
    public static (CStoreRequest Command, byte[] Dataset) StoreOf(string path)
    {
        Assert.True(Dicom.Network.Client.StoreFile.TryOpen(path, out var file, out var error), error);
        return (new CStoreRequest(1, file!.SopClassUid, file.SopInstanceUid), File.ReadAllBytes(path)[(int)file.DatasetOffset..]);
    }

    /// <summary>Closes every peer a test opened in bulk.</summary>
    public static async Task DisposeAllAsync(IEnumerable<RawPeer> peers)
    {
        foreach (var peer in peers)
        {
            await peer.DisposeAsync();
        }
    }

    public static PresentationContextProposal Verification(byte id = 1) =>
        new(id, DicomUids.Verification, [Dicom.IO.DicomTransferSyntax.ImplicitVRLittleEndian.Uid]);

    public static PresentationContextProposal Storage(string sopClass, string transferSyntax, byte id = 1) =>
        new(id, sopClass, [transferSyntax]);

    /// <summary>Our implementation class UID, to tell our own answers from a peer's.</summary>
    public static string OurClassUid => DicomImplementation.ClassUid;
}
