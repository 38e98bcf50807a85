using System.Buffers;

namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>The User Information item and its sub-items (PS3.7 D.3.3).</summary>
public static partial class PduReader
{
    private static PduRejectionReason ReadUserInformation(ReadOnlySequence<byte> body, out UserInformation? info)
    {
        info = new UserInformation();
        var r = new SequenceReader<byte>(body);
        while (!r.End)
        {
            var error = ReadItemHeader(ref r, out var subType, out var sub);
            if (error != PduRejectionReason.None)
            {
                info = null;
                return error;
            }
            error = ReadUserInformationSubItem(info, subType, sub);
            if (error != PduRejectionReason.None)
            {
                info = null;
                return error;
            }
        }
        return PduRejectionReason.None;
    }

    private static PduRejectionReason ReadUserInformationSubItem(UserInformation info, ItemType subType, ReadOnlySequence<byte> sub)
    {
        var r = new SequenceReader<byte>(sub);
        switch (subType)
        {
            case ItemType.MaximumLength:
                if (sub.Length != 4)
                {
                    return PduRejectionReason.InvalidItemLength;
                }
                if (info.MaximumLength is not null)
                {
                    return PduRejectionReason.DuplicateItem;
                }
                r.TryReadBigEndian(out int max);
                info.MaximumLength = (uint)max;
                return PduRejectionReason.None;
            case ItemType.ImplementationClassUid:
                if (!TryReadUid(sub, out var classUid))
                {
                    return PduRejectionReason.InvalidUid;
                }
                info.ImplementationClassUid = classUid;
                return PduRejectionReason.None;
            case ItemType.ImplementationVersionName:
                info.ImplementationVersionName = ReadText(sub).Trim();
                return PduRejectionReason.None;
            case ItemType.AsynchronousOperationsWindow:
                if (sub.Length != 4)
                {
                    return PduRejectionReason.InvalidItemLength;
                }
                r.TryReadBigEndian(out short invoked);
                r.TryReadBigEndian(out short performed);
                info.AsynchronousOperationsWindow = new AsynchronousOperationsWindow((ushort)invoked, (ushort)performed);
                return PduRejectionReason.None;
            case ItemType.RoleSelection:
            {
                if (!TryReadUidField(ref r, out var sopClass, out var error))
                {
                    return error;
                }
                if (r.Remaining != 2)
                {
                    return PduRejectionReason.InvalidItemLength;
                }
                r.TryRead(out var scu);
                r.TryRead(out var scp);
                info.RoleSelections.Add(new RoleSelection(sopClass, scu == 1, scp == 1));
                return PduRejectionReason.None;
            }
            case ItemType.SopClassExtendedNegotiation:
            {
                if (!TryReadUidField(ref r, out var sopClass, out var error))
                {
                    return error;
                }
                info.ExtendedNegotiations.Add(new SopClassExtendedNegotiation(sopClass, r.UnreadSequence.ToArray()));
                return PduRejectionReason.None;
            }
            case ItemType.SopClassCommonExtendedNegotiation:
                return ReadCommonExtendedNegotiation(info, ref r);
            case ItemType.UserIdentityRequest:
            {
                if (r.Remaining < 2)
                {
                    return PduRejectionReason.InvalidItemLength;
                }
                r.TryRead(out var identityType);
                r.TryRead(out var positive);
                if (!TryReadField(ref r, out var primary) || !TryReadField(ref r, out var secondary) || !r.End)
                {
                    return PduRejectionReason.InvalidItemLength;
                }
                info.UserIdentity = new UserIdentityNegotiation((UserIdentityType)identityType, positive == 1, primary, secondary);
                return PduRejectionReason.None;
            }
            case ItemType.UserIdentityAccept:
                if (!TryReadField(ref r, out var response) || !r.End)
                {
                    return PduRejectionReason.InvalidItemLength;
                }
                info.UserIdentityServerResponse = response;
                return PduRejectionReason.None;
            default:
                return PduRejectionReason.None;
        }
    }

    private static PduRejectionReason ReadCommonExtendedNegotiation(UserInformation info, ref SequenceReader<byte> r)
    {
        if (!TryReadUidField(ref r, out var sopClass, out var error) || !TryReadUidField(ref r, out var serviceClass, out error))
        {
            return error;
        }
        if (!r.TryReadBigEndian(out short relatedLength) || (ushort)relatedLength != r.Remaining)
        {
            return PduRejectionReason.InvalidItemLength;
        }
        var related = new List<string>();
        while (!r.End)
        {
            if (!TryReadUidField(ref r, out var uid, out error))
            {
                return error;
            }
            related.Add(uid);
        }
        info.CommonExtendedNegotiations.Add(new SopClassCommonExtendedNegotiation(sopClass, serviceClass, related));
        return PduRejectionReason.None;
    }
}
