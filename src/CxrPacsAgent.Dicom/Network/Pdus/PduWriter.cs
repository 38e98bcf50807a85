using System.Buffers;
using System.Buffers.Binary;

namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>
/// Encodes PDUs (PS3.8 9.3): lengths are computed first, then the PDU is written in one pass. Items and sub-items go
/// in ascending item-type order, reserved fields as zeros.
/// </summary>
public static class PduWriter
{
    /// <summary>The encoded size, header included.</summary>
    public static int GetLength(Pdu pdu)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        return Pdu.HeaderLength + BodyLength(pdu);
    }

    public static int Write(IBufferWriter<byte> output, Pdu pdu)
    {
        ArgumentNullException.ThrowIfNull(output);
        var total = GetLength(pdu);
        Write(output.GetSpan(total), pdu);
        output.Advance(total);
        return total;
    }

    public static byte[] ToArray(Pdu pdu)
    {
        var bytes = new byte[GetLength(pdu)];
        Write(bytes, pdu);
        return bytes;
    }

    /// <summary>Writes the P-DATA-TF header for a PDU whose PDV items take <paramref name="pduLength"/> bytes.</summary>
    public static void WritePDataHeader(Span<byte> destination, uint pduLength)
    {
        destination[0] = (byte)PduType.PDataTransfer;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], pduLength);
    }

    /// <summary>Writes a PDV item header (PS3.8 9.3.5.1 and E.2) for <paramref name="dataLength"/> bytes of data.</summary>
    public static void WritePdvHeader(Span<byte> destination, int dataLength, byte presentationContextId, bool isCommand,
        bool isLastFragment)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, checked((uint)dataLength + 2));
        destination[4] = presentationContextId;
        destination[5] = (byte)((isCommand ? 1 : 0) | (isLastFragment ? 2 : 0));
    }

    public static int Write(Span<byte> destination, Pdu pdu)
    {
        var body = BodyLength(pdu);
        var w = new BigEndianWriter(destination);
        w.Byte((byte)pdu.Type);
        w.Byte(0);
        w.UInt32((uint)body);
        switch (pdu)
        {
            case AssociateRequest rq:
                WriteAssociateFixed(ref w, rq.ProtocolVersion, rq.CalledAeTitle, rq.CallingAeTitle);
                WriteUidItem(ref w, ItemType.ApplicationContext, rq.ApplicationContextName);
                foreach (var pc in rq.PresentationContexts)
                {
                    w.ItemHeader(ItemType.PresentationContextRequest, ProposalLength(pc));
                    w.Byte(pc.Id);
                    w.Zeros(3);
                    WriteUidItem(ref w, ItemType.AbstractSyntax, pc.AbstractSyntax);
                    foreach (var ts in pc.TransferSyntaxes)
                    {
                        WriteUidItem(ref w, ItemType.TransferSyntax, ts);
                    }
                }
                WriteUserInformation(ref w, rq.UserInformation);
                break;
            case AssociateAccept ac:
                WriteAssociateFixed(ref w, ac.ProtocolVersion, ac.CalledAeTitle, ac.CallingAeTitle);
                WriteUidItem(ref w, ItemType.ApplicationContext, ac.ApplicationContextName);
                foreach (var pc in ac.PresentationContexts)
                {
                    w.ItemHeader(ItemType.PresentationContextAccept, 4 + 4 + pc.TransferSyntax.Length);
                    w.Byte(pc.Id);
                    w.Byte(0);
                    w.Byte((byte)pc.Result);
                    w.Byte(0);
                    WriteUidItem(ref w, ItemType.TransferSyntax, pc.TransferSyntax);
                }
                WriteUserInformation(ref w, ac.UserInformation);
                break;
            case AssociateReject rj:
                w.Byte(0);
                w.Byte((byte)rj.Result);
                w.Byte((byte)rj.Source);
                w.Byte((byte)rj.Reason);
                break;
            case PDataTransfer pd:
                foreach (var pdv in pd.Values)
                {
                    w.UInt32(checked((uint)pdv.Data.Length + 2));
                    w.Byte(pdv.PresentationContextId);
                    w.Byte(pdv.MessageControlHeader);
                    foreach (var segment in pdv.Data)
                    {
                        w.Bytes(segment.Span);
                    }
                }
                break;
            case ReleaseRequest or ReleaseResponse:
                w.Zeros(4);
                break;
            case Abort abort:
                w.Zeros(2);
                w.Byte((byte)abort.Source);
                w.Byte((byte)abort.Reason);
                break;
            default:
                throw new ArgumentException($"Unknown PDU {pdu.GetType().Name}.", nameof(pdu));
        }
        return w.Position;
    }

    private static int BodyLength(Pdu pdu) => pdu switch
    {
        AssociateRequest rq => checked(68 + 4 + rq.ApplicationContextName.Length
            + rq.PresentationContexts.Sum(pc => 4 + ProposalLength(pc)) + 4 + UserInformationLength(rq.UserInformation)),
        AssociateAccept ac => checked(68 + 4 + ac.ApplicationContextName.Length
            + ac.PresentationContexts.Sum(pc => 4 + 4 + 4 + pc.TransferSyntax.Length) + 4 + UserInformationLength(ac.UserInformation)),
        PDataTransfer pd => checked((int)pd.Values.Sum(v => PresentationDataValue.HeaderLength + v.Data.Length)),
        AssociateReject or ReleaseRequest or ReleaseResponse or Abort => 4,
        _ => throw new ArgumentException($"Unknown PDU {pdu.GetType().Name}.", nameof(pdu)),
    };

    private static int ProposalLength(PresentationContextProposal pc) =>
        4 + 4 + pc.AbstractSyntax.Length + pc.TransferSyntaxes.Sum(ts => 4 + ts.Length);

    private static int UserInformationLength(UserInformation ui)
    {
        var length = 0;
        if (ui.MaximumLength is not null)
        {
            length += 8;
        }
        if (ui.ImplementationClassUid is { } uid)
        {
            length += 4 + uid.Length;
        }
        if (ui.AsynchronousOperationsWindow is not null)
        {
            length += 8;
        }
        length += ui.RoleSelections.Sum(rs => 4 + 2 + rs.SopClassUid.Length + 2);
        if (ui.ImplementationVersionName is { } name)
        {
            length += 4 + name.Length;
        }
        length += ui.ExtendedNegotiations.Sum(en => 4 + 2 + en.SopClassUid.Length + en.ServiceClassApplicationInformation.Length);
        length += ui.CommonExtendedNegotiations.Sum(CommonExtendedNegotiationLength);
        if (ui.UserIdentity is { } id)
        {
            length += 4 + 2 + 2 + id.PrimaryField.Length + 2 + id.SecondaryField.Length;
        }
        if (ui.UserIdentityServerResponse is { } response)
        {
            length += 4 + 2 + response.Length;
        }
        return length;
    }

    private static int CommonExtendedNegotiationLength(SopClassCommonExtendedNegotiation cen) =>
        4 + 2 + cen.SopClassUid.Length + 2 + cen.ServiceClassUid.Length + 2 + cen.RelatedGeneralSopClassUids.Sum(u => 2 + u.Length);

    private static void WriteAssociateFixed(ref BigEndianWriter w, ushort version, string called, string calling)
    {
        w.UInt16(version);
        w.Zeros(2);
        w.AeTitleField(called);
        w.AeTitleField(calling);
        w.Zeros(32);
    }

    private static void WriteUidItem(ref BigEndianWriter w, ItemType type, string uid)
    {
        w.ItemHeader(type, uid.Length);
        w.Ascii(uid);
    }

    private static void WriteUserInformation(ref BigEndianWriter w, UserInformation ui)
    {
        w.ItemHeader(ItemType.UserInformation, UserInformationLength(ui));
        if (ui.MaximumLength is { } max)
        {
            w.ItemHeader(ItemType.MaximumLength, 4);
            w.UInt32(max);
        }
        if (ui.ImplementationClassUid is { } uid)
        {
            WriteUidItem(ref w, ItemType.ImplementationClassUid, uid);
        }
        if (ui.AsynchronousOperationsWindow is { } window)
        {
            w.ItemHeader(ItemType.AsynchronousOperationsWindow, 4);
            w.UInt16(window.MaximumOperationsInvoked);
            w.UInt16(window.MaximumOperationsPerformed);
        }
        foreach (var rs in ui.RoleSelections)
        {
            w.ItemHeader(ItemType.RoleSelection, 2 + rs.SopClassUid.Length + 2);
            w.UInt16(rs.SopClassUid.Length);
            w.Ascii(rs.SopClassUid);
            w.Byte(rs.ScuRole ? (byte)1 : (byte)0);
            w.Byte(rs.ScpRole ? (byte)1 : (byte)0);
        }
        if (ui.ImplementationVersionName is { } name)
        {
            w.ItemHeader(ItemType.ImplementationVersionName, name.Length);
            w.Ascii(name);
        }
        foreach (var en in ui.ExtendedNegotiations)
        {
            w.ItemHeader(ItemType.SopClassExtendedNegotiation, 2 + en.SopClassUid.Length + en.ServiceClassApplicationInformation.Length);
            w.UInt16(en.SopClassUid.Length);
            w.Ascii(en.SopClassUid);
            w.Bytes(en.ServiceClassApplicationInformation.Span);
        }
        foreach (var cen in ui.CommonExtendedNegotiations)
        {
            w.ItemHeader(ItemType.SopClassCommonExtendedNegotiation, CommonExtendedNegotiationLength(cen) - 4);
            w.UInt16(cen.SopClassUid.Length);
            w.Ascii(cen.SopClassUid);
            w.UInt16(cen.ServiceClassUid.Length);
            w.Ascii(cen.ServiceClassUid);
            w.UInt16(cen.RelatedGeneralSopClassUids.Sum(u => 2 + u.Length));
            foreach (var related in cen.RelatedGeneralSopClassUids)
            {
                w.UInt16(related.Length);
                w.Ascii(related);
            }
        }
        if (ui.UserIdentity is { } id)
        {
            w.ItemHeader(ItemType.UserIdentityRequest, 2 + 2 + id.PrimaryField.Length + 2 + id.SecondaryField.Length);
            w.Byte((byte)id.IdentityType);
            w.Byte(id.PositiveResponseRequested ? (byte)1 : (byte)0);
            w.UInt16(id.PrimaryField.Length);
            w.Bytes(id.PrimaryField.Span);
            w.UInt16(id.SecondaryField.Length);
            w.Bytes(id.SecondaryField.Span);
        }
        if (ui.UserIdentityServerResponse is { } response)
        {
            w.ItemHeader(ItemType.UserIdentityAccept, 2 + response.Length);
            w.UInt16(response.Length);
            w.Bytes(response.Span);
        }
    }
}
