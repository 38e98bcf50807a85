using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Network;

/// <summary>An association could not be established or was lost; the message says how, without patient data.</summary>
public class DicomNetworkException : Exception
{
    public DicomNetworkException() { }

    public DicomNetworkException(string message) : base(message) { }

    public DicomNetworkException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The acceptor answered A-ASSOCIATE-RJ.</summary>
public sealed class AssociationRejectedException : DicomNetworkException
{
    public AssociationRejectedException() { }

    public AssociationRejectedException(string message) : base(message) { }

    public AssociationRejectedException(string message, Exception innerException) : base(message, innerException) { }

    public AssociationRejectedException(AssociateReject reject)
        : base($"association rejected: {reject?.Result}, {reject?.Source}, {reject?.Reason.Describe()}") => Reject = reject;

    public AssociateReject? Reject { get; }
}
