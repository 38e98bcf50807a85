using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Network.Acse;

/// <summary>
/// The acceptor's answer to an A-ASSOCIATE-RQ: an AC, or an RJ with its local reason (<see cref="Rejection"/>, for
/// metrics) and the reason in words for the log (peer values in it are sanitised).
/// </summary>
public sealed record AssociationDecision(AssociateAccept? Accept, AssociateReject? Reject, string Explanation)
{
    public bool IsAccepted => Accept is not null;

    public AssociationRejection Rejection { get; init; }

    public static AssociationDecision Rejected(AssociationRejection rejection, string explanation) =>
        new(null, rejection.ToReject(), explanation) { Rejection = rejection };
}
