using System.Buffers;
using System.Text;

namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>
/// Parses PDUs (PS3.8 9.3) from buffered bytes, apart from any socket. Unrecognized item types are skipped, reserved
/// fields are not tested (PS3.8 9.3.1); everything else that is malformed is a <see cref="PduRejectionReason"/>.
/// </summary>
public static partial class PduReader
{
    // Protocol-version, reserved, called and calling AE titles, 32 reserved bytes (PS3.8 Table 9-11).
    private const int AssociateFixedLength = 68;

    /// <summary>
    /// Reads one PDU from the front of <paramref name="reader"/>. On <see cref="PduReadStatus.Complete"/> the reader
    /// is advanced past it; otherwise it is left where it was. PDV data of a P-DATA-TF point into the reader's
    /// sequence.
    /// </summary>
    public static PduReadStatus TryRead(ref SequenceReader<byte> reader, PduReaderLimits limits, out Pdu? pdu,
        out PduRejectionReason rejection)
    {
        pdu = null;
        var status = TryReadHeader(reader.UnreadSequence, limits, out var type, out var length, out rejection);
        if (status != PduReadStatus.Complete)
        {
            return status;
        }
        if (reader.Remaining < Pdu.HeaderLength + length)
        {
            return PduReadStatus.Incomplete;
        }
        var body = reader.UnreadSequence.Slice(Pdu.HeaderLength, length);
        rejection = ParseBody(type, body, out pdu);
        if (rejection != PduRejectionReason.None)
        {
            pdu = null;
            return PduReadStatus.Rejected;
        }
        reader.Advance(Pdu.HeaderLength + length);
        return PduReadStatus.Complete;
    }

    /// <summary>
    /// Checks the 6-byte PDU header alone: a connection loop calls this to refuse a bad type or length at once.
    /// </summary>
    public static PduReadStatus TryReadHeader(ReadOnlySequence<byte> buffer, PduReaderLimits limits, out PduType type,
        out uint length, out PduRejectionReason rejection)
    {
        type = default;
        length = 0;
        rejection = PduRejectionReason.None;
        if (buffer.Length < Pdu.HeaderLength)
        {
            return PduReadStatus.Incomplete;
        }
        Span<byte> header = stackalloc byte[Pdu.HeaderLength];
        buffer.Slice(0, Pdu.HeaderLength).CopyTo(header);
        type = (PduType)header[0];
        length = (uint)(header[2] << 24 | header[3] << 16 | header[4] << 8 | header[5]);
        var max = type switch
        {
            PduType.AssociateRequest or PduType.AssociateAccept => limits.MaxAssociateLength,
            PduType.PDataTransfer => limits.MaxPDataLength,
            PduType.AssociateReject or PduType.ReleaseRequest or PduType.ReleaseResponse or PduType.Abort => 4u,
            _ => uint.MaxValue,
        };
        if (max == uint.MaxValue)
        {
            rejection = PduRejectionReason.UnrecognizedPduType;
        }
        else if (max == 4 && length != 4)
        {
            rejection = PduRejectionReason.InvalidPduLength;
        }
        else if (length > max)
        {
            rejection = PduRejectionReason.PduTooLong;
        }
        return rejection == PduRejectionReason.None ? PduReadStatus.Complete : PduReadStatus.Rejected;
    }

    /// <summary>Parses the bytes after the header of a PDU whose type and length were already checked.</summary>
    public static PduRejectionReason ParseBody(PduType type, ReadOnlySequence<byte> body, out Pdu? pdu)
    {
        pdu = null;
        var r = new SequenceReader<byte>(body);
        switch (type)
        {
            case PduType.AssociateRequest:
            case PduType.AssociateAccept:
                return ReadAssociate(ref r, type, out pdu);
            case PduType.PDataTransfer:
                return ReadPData(ref r, out pdu);
            case PduType.AssociateReject:
                r.Advance(1);
                r.TryRead(out var result);
                r.TryRead(out var source);
                r.TryRead(out var reason);
                pdu = new AssociateReject((AssociateRejectResult)result, AssociateRejectReasonExtensions.Combine(source, reason));
                return PduRejectionReason.None;
            case PduType.ReleaseRequest:
                pdu = ReleaseRequest.Instance;
                return PduRejectionReason.None;
            case PduType.ReleaseResponse:
                pdu = ReleaseResponse.Instance;
                return PduRejectionReason.None;
            case PduType.Abort:
                r.Advance(2);
                r.TryRead(out var abortSource);
                r.TryRead(out var abortReason);
                pdu = new Abort((AbortSource)abortSource, (AbortReason)abortReason);
                return PduRejectionReason.None;
            default:
                return PduRejectionReason.UnrecognizedPduType;
        }
    }

    private static PduRejectionReason ReadPData(ref SequenceReader<byte> r, out Pdu? pdu)
    {
        pdu = null;
        var values = new PDataTransfer();
        while (!r.End)
        {
            if (!r.TryReadBigEndian(out int signedLength) || r.Remaining < 2)
            {
                return PduRejectionReason.ItemOverrunsContainer;
            }
            var length = (uint)signedLength;
            if (length < 2)
            {
                return PduRejectionReason.InvalidPdvLength;
            }
            if (length > r.Remaining)
            {
                return PduRejectionReason.ItemOverrunsContainer;
            }
            r.TryRead(out var contextId);
            r.TryRead(out var control);
            var data = r.UnreadSequence.Slice(0, length - 2);
            r.Advance(length - 2);
            values.Values.Add(new PresentationDataValue(contextId, (control & 1) != 0, (control & 2) != 0, data));
        }
        if (values.Values.Count == 0)
        {
            return PduRejectionReason.EmptyPData;
        }
        pdu = values;
        return PduRejectionReason.None;
    }

    /// <summary>Item header: type, reserved, 16-bit length; the item's bytes are sliced off and skipped.</summary>
    private static PduRejectionReason ReadItemHeader(ref SequenceReader<byte> r, out ItemType type, out ReadOnlySequence<byte> item)
    {
        item = default;
        type = default;
        if (r.Remaining < 4)
        {
            return PduRejectionReason.ItemOverrunsContainer;
        }
        r.TryRead(out var t);
        r.Advance(1);
        r.TryReadBigEndian(out short signedLength);
        var length = (ushort)signedLength;
        if (length > r.Remaining)
        {
            return PduRejectionReason.ItemOverrunsContainer;
        }
        type = (ItemType)t;
        item = r.UnreadSequence.Slice(0, length);
        r.Advance(length);
        return PduRejectionReason.None;
    }

    /// <summary>A 16-bit length followed by that many bytes, copied (they must outlive the receive buffer).</summary>
    private static bool TryReadField(ref SequenceReader<byte> r, out ReadOnlyMemory<byte> value)
    {
        value = default;
        if (!r.TryReadBigEndian(out short signedLength) || (ushort)signedLength > r.Remaining)
        {
            return false;
        }
        var length = (ushort)signedLength;
        value = r.UnreadSequence.Slice(0, length).ToArray();
        r.Advance(length);
        return true;
    }

    private static bool TryReadUidField(ref SequenceReader<byte> r, out string uid, out PduRejectionReason error)
    {
        uid = "";
        error = PduRejectionReason.InvalidItemLength;
        if (!r.TryReadBigEndian(out short signedLength) || (ushort)signedLength > r.Remaining)
        {
            return false;
        }
        var length = (ushort)signedLength;
        var field = r.UnreadSequence.Slice(0, length);
        r.Advance(length);
        error = PduRejectionReason.InvalidUid;
        return TryReadUid(field, out uid);
    }

    /// <summary>
    /// UIDs in PDUs are not padded (PS3.8 Annex F), but a trailing NUL or space from older peers is tolerated.
    /// </summary>
    internal static bool TryReadUid(ReadOnlySequence<byte> bytes, out string uid)
    {
        uid = "";
        if (bytes.Length is 0 or > 65)
        {
            return false;
        }
        Span<byte> span = stackalloc byte[(int)bytes.Length];
        bytes.CopyTo(span);
        if (span[^1] is 0 or (byte)' ')
        {
            span = span[..^1];
        }
        if (span.Length is 0 or > 64)
        {
            return false;
        }
        foreach (var b in span)
        {
            if (b != '.' && (b < '0' || b > '9'))
            {
                return false;
            }
        }
        uid = Encoding.ASCII.GetString(span);
        return true;
    }

    private static string ReadAeTitle(ref SequenceReader<byte> r)
    {
        Span<byte> field = stackalloc byte[16];
        r.TryCopyTo(field);
        r.Advance(16);
        return AeTitle.Decode(field);
    }

    private static string ReadText(ReadOnlySequence<byte> bytes) => PeerText.Sanitize(Encoding.ASCII.GetString(bytes));
}
