using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Network.Acse;

/// <summary>The acceptor's answer to an A-ASSOCIATE-RQ: an AC, or an RJ with the reason in words for the log.</summary>
public sealed record AssociationDecision(AssociateAccept? Accept, AssociateReject? Reject, string Explanation)
{
    public bool IsAccepted => Accept is not null;

    public static AssociationDecision Rejected(AssociateReject reject, string explanation) => new(null, reject, explanation);
}
