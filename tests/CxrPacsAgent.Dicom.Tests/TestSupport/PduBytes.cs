using System.Buffers;
using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Tests.TestSupport;

/// <summary>PDUs and items laid out byte by byte (PS3.8 9.3), and a strict read of one PDU.</summary>
internal static class PduBytes
{
    /// <summary>Reads exactly one valid PDU from <paramref name="bytes"/>, failing the test otherwise.</summary>
    public static Pdu Read(byte[] bytes, PduReaderLimits? limits = null)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var status = PduReader.TryRead(ref reader, limits ?? PduReaderLimits.For(16384), out var pdu, out var rejection);
        Assert.Equal(PduRejectionReason.None, rejection);
        Assert.Equal(PduReadStatus.Complete, status);
        Assert.True(reader.End);
        return pdu!;
    }

    public static byte[] WithUserInformation(byte[] userInformation) =>
        Associate([.. UidItem(0x10, ApplicationContext.Dicom), .. ProposalItem(1, "1.2.840.10008.1.1", "1.2.840.10008.1.2"), .. userInformation]);

    public static byte[] Associate(byte[] items, byte type = 0x01)
    {
        var fixedPart = PduFixtures.EchoscuAssociateRequest.AsSpan(6, 68).ToArray();
        var length = fixedPart.Length + items.Length;
        return [type, 0, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, .. fixedPart, .. items];
    }

    public static byte[] Item(byte type, byte[] body) => [type, 0, (byte)(body.Length >> 8), (byte)body.Length, .. body];

    public static byte[] UidItem(byte type, string uid) => Item(type, System.Text.Encoding.ASCII.GetBytes(uid));

    public static byte[] ProposalItem(byte id, string abstractSyntax, params string[] transferSyntaxes) =>
        Item(0x20, [id, 0, 0, 0, .. UidItem(0x30, abstractSyntax), .. transferSyntaxes.SelectMany(ts => UidItem(0x40, ts))]);
}
