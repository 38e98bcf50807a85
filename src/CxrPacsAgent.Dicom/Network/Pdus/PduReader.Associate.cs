using System.Buffers;

namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>A-ASSOCIATE-RQ and -AC (PS3.8 9.3.2, 9.3.3) and their presentation context items.</summary>
public static partial class PduReader
{
    private static PduRejectionReason ReadAssociate(ref SequenceReader<byte> r, PduType type, out Pdu? pdu)
    {
        pdu = null;
        if (r.Remaining < AssociateFixedLength)
        {
            return PduRejectionReason.InvalidPduLength;
        }
        r.TryReadBigEndian(out short version);
        r.Advance(2);
        var called = ReadAeTitle(ref r);
        var calling = ReadAeTitle(ref r);
        r.Advance(32);

        string? applicationContext = null;
        UserInformation? userInformation = null;
        var proposals = new List<PresentationContextProposal>();
        var results = new List<PresentationContextResult>();
        while (!r.End)
        {
            var error = ReadItemHeader(ref r, out var itemType, out var item);
            if (error != PduRejectionReason.None)
            {
                return error;
            }
            switch (itemType)
            {
                case ItemType.ApplicationContext:
                    if (applicationContext is not null)
                    {
                        return PduRejectionReason.DuplicateItem;
                    }
                    if (!TryReadUid(item, out applicationContext))
                    {
                        return PduRejectionReason.InvalidUid;
                    }
                    break;
                case ItemType.PresentationContextRequest when type == PduType.AssociateRequest:
                    error = ReadProposal(item, out var proposal);
                    if (error != PduRejectionReason.None)
                    {
                        return error;
                    }
                    if (proposals.Exists(p => p.Id == proposal!.Id))
                    {
                        // Each presentation context ID identifies one context of the association (PS3.8 7.1.1.13).
                        return PduRejectionReason.DuplicatePresentationContextId;
                    }
                    proposals.Add(proposal!);
                    break;
                case ItemType.PresentationContextAccept when type == PduType.AssociateAccept:
                    error = ReadResult(item, out var result);
                    if (error != PduRejectionReason.None)
                    {
                        return error;
                    }
                    results.Add(result!);
                    break;
                case ItemType.PresentationContextRequest:
                case ItemType.PresentationContextAccept:
                    return PduRejectionReason.UnexpectedItem;
                case ItemType.UserInformation:
                    if (userInformation is not null)
                    {
                        return PduRejectionReason.DuplicateItem;
                    }
                    error = ReadUserInformation(item, out userInformation);
                    if (error != PduRejectionReason.None)
                    {
                        return error;
                    }
                    break;
                default:
                    // Items of unrecognized types are ignored and skipped (PS3.8 9.3.1).
                    break;
            }
        }
        if (applicationContext is null)
        {
            return PduRejectionReason.MissingApplicationContext;
        }
        if (proposals.Count == 0 && results.Count == 0)
        {
            return PduRejectionReason.MissingPresentationContext;
        }
        if (userInformation is null)
        {
            return PduRejectionReason.MissingUserInformation;
        }
        if (type == PduType.AssociateRequest)
        {
            var rq = new AssociateRequest
            {
                ProtocolVersion = (ushort)version,
                CalledAeTitle = called,
                CallingAeTitle = calling,
                ApplicationContextName = applicationContext,
                UserInformation = userInformation,
            };
            rq.PresentationContexts.AddRange(proposals);
            pdu = rq;
        }
        else
        {
            var ac = new AssociateAccept
            {
                ProtocolVersion = (ushort)version,
                CalledAeTitle = called,
                CallingAeTitle = calling,
                ApplicationContextName = applicationContext,
                UserInformation = userInformation,
            };
            ac.PresentationContexts.AddRange(results);
            pdu = ac;
        }
        return PduRejectionReason.None;
    }

    private static PduRejectionReason ReadProposal(ReadOnlySequence<byte> body, out PresentationContextProposal? proposal)
    {
        proposal = null;
        var r = new SequenceReader<byte>(body);
        if (r.Remaining < 4)
        {
            return PduRejectionReason.InvalidItemLength;
        }
        r.TryRead(out var id);
        r.Advance(3);
        if ((id & 1) == 0)
        {
            return PduRejectionReason.InvalidPresentationContextId;
        }
        string? abstractSyntax = null;
        var transferSyntaxes = new List<string>();
        while (!r.End)
        {
            var error = ReadItemHeader(ref r, out var subType, out var sub);
            if (error != PduRejectionReason.None)
            {
                return error;
            }
            if (subType == ItemType.AbstractSyntax)
            {
                if (abstractSyntax is not null)
                {
                    return PduRejectionReason.DuplicateItem;
                }
                if (!TryReadUid(sub, out abstractSyntax))
                {
                    return PduRejectionReason.InvalidUid;
                }
            }
            else if (subType == ItemType.TransferSyntax)
            {
                if (!TryReadUid(sub, out var ts))
                {
                    return PduRejectionReason.InvalidUid;
                }
                transferSyntaxes.Add(ts);
            }
        }
        if (abstractSyntax is null)
        {
            return PduRejectionReason.MissingAbstractSyntax;
        }
        if (transferSyntaxes.Count == 0)
        {
            return PduRejectionReason.MissingTransferSyntax;
        }
        proposal = new PresentationContextProposal(id, abstractSyntax, transferSyntaxes);
        return PduRejectionReason.None;
    }

    private static PduRejectionReason ReadResult(ReadOnlySequence<byte> body, out PresentationContextResult? result)
    {
        result = null;
        var r = new SequenceReader<byte>(body);
        if (r.Remaining < 4)
        {
            return PduRejectionReason.InvalidItemLength;
        }
        r.TryRead(out var id);
        r.Advance(1);
        r.TryRead(out var reason);
        r.Advance(1);
        if ((id & 1) == 0)
        {
            return PduRejectionReason.InvalidPresentationContextId;
        }
        string? transferSyntax = null;
        while (!r.End)
        {
            var error = ReadItemHeader(ref r, out var subType, out var sub);
            if (error != PduRejectionReason.None)
            {
                return error;
            }
            if (subType != ItemType.TransferSyntax)
            {
                continue;
            }
            if (transferSyntax is not null)
            {
                return PduRejectionReason.DuplicateItem;
            }
            if (!TryReadUid(sub, out transferSyntax))
            {
                // For a rejected context the value "shall not be tested" (PS3.8 9.3.3.2); some peers leave it empty.
                if (reason == 0)
                {
                    return PduRejectionReason.InvalidUid;
                }
                transferSyntax = "";
            }
        }
        if (transferSyntax is null && reason == 0)
        {
            return PduRejectionReason.MissingTransferSyntax;
        }
        result = new PresentationContextResult(id, (PresentationContextResultReason)reason, transferSyntax ?? "");
        return PduRejectionReason.None;
    }
}
