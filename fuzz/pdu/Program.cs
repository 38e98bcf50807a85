using System.Buffers;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Pdus;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Fuzz.Pdu;

/// <summary>
/// AFL target: each input is what a peer might send on a connection. PDUs are read from it one after another, as the
/// connection loop reads them, from a sequence split where the first byte says (so multi-segment paths are fuzzed too);
/// command PDVs are decoded as command sets, and every PDU that parses is re-encoded and must parse again to the same
/// bytes. A rejection is the expected answer to bad input; any exception, hang or crash is a finding.
/// With a path it replays one input; with <c>--seeds DIR</c> it writes the seed corpus.
/// </summary>
public static class Program
{
    private static readonly PduReaderLimits Limits = new(64 * 1024, 256 * 1024);

    public static void Main(string[] args)
    {
        if (args is ["--seeds", var folder])
        {
            Seeds.Write(folder);
            return;
        }
        // No exception is expected: the reader answers bad input with a rejection reason, not by throwing.
        FuzzHarness.Run(args.Length == 1 ? args[0] : null, Target);
    }

    private static void Target(byte[] input)
    {
        var sequence = input.Length > 1 ? Segments.Split(input, 1 + input[0] % 64) : new ReadOnlySequence<byte>(input);
        var reader = new SequenceReader<byte>(sequence);
        while (PduReader.TryRead(ref reader, Limits, out var pdu, out _) == PduReadStatus.Complete)
        {
            if (pdu is PDataTransfer data)
            {
                foreach (var pdv in data.Values.Where(v => v.IsCommand))
                {
                    if (CommandSet.TryDecode(pdv.Data, out var command, out _))
                    {
                        _ = DimseMessage.ReadHeader(command);
                        _ = CommandSet.GetText(command, DicomTags.AffectedSOPInstanceUID);
                    }
                }
            }
            RoundTrip(pdu!);
        }
    }

    /// <summary>What parsed must encode (the server echoes a request's fields) and parse back to the same bytes.</summary>
    private static void RoundTrip(CxrPacsAgent.Dicom.Network.Pdus.Pdu pdu)
    {
        var bytes = PduWriter.ToArray(pdu);
        var again = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var limits = new PduReaderLimits(uint.MaxValue - 6, uint.MaxValue - 6);
        if (PduReader.TryRead(ref again, limits, out var reparsed, out var rejection) != PduReadStatus.Complete)
        {
            throw new InvalidOperationException($"re-encoded {pdu.Type} does not parse: {rejection}");
        }
        if (!PduWriter.ToArray(reparsed!).AsSpan().SequenceEqual(bytes))
        {
            throw new InvalidOperationException($"re-encoded {pdu.Type} changed on a second round trip");
        }
    }
}
