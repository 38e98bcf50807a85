using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Network;

/// <summary>
/// An association could not be established or was lost; <see cref="Failure"/> says why (for metrics), the message
/// says how, without patient data.
/// </summary>
public class DicomNetworkException : Exception
{
    public DicomNetworkException() { }

    public DicomNetworkException(string message) : base(message) { }

    public DicomNetworkException(string message, Exception innerException) : base(message, innerException) { }

    public DicomNetworkException(AssociationFailure failure, string message, Exception? innerException = null)
        : base(message, innerException) => Failure = failure;

    public AssociationFailure Failure { get; }

    /// <summary>With <see cref="AssociationFailure.DimseViolation"/>: which one.</summary>
    public DimseViolation Violation { get; init; }

    /// <summary>With <see cref="AssociationFailure.InvalidPdu"/>: what was wrong with the PDU.</summary>
    public PduRejectionReason PduRejection { get; init; }
}

/// <summary>The acceptor answered A-ASSOCIATE-RJ.</summary>
public sealed class AssociationRejectedException : DicomNetworkException
{
    public AssociationRejectedException() { }

    public AssociationRejectedException(string message) : base(message) { }

    public AssociationRejectedException(string message, Exception innerException) : base(message, innerException) { }

    public AssociationRejectedException(AssociateReject reject)
        : base(AssociationFailure.Rejected, $"association rejected: {reject?.Result}, {reject?.Source}, {reject?.Reason.Describe()}")
        => Reject = reject;

    public AssociateReject? Reject { get; }
}
