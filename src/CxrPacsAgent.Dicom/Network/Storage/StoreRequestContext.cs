using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Dimse;

namespace CxrPacsAgent.Dicom.Network.Storage;

/// <summary>A C-STORE-RQ as a store handler sees it: the command, its association and the data set's encoding.</summary>
public sealed class StoreRequestContext(Association association, PresentationContext presentationContext, CStoreRequest request)
{
    public Association Association { get; } = association;

    public PresentationContext PresentationContext { get; } = presentationContext;

    public CStoreRequest Request { get; } = request;

    public string SopClassUid => Request.AffectedSopClassUid;

    public string SopInstanceUid => Request.AffectedSopInstanceUid;

    public DicomTransferSyntax TransferSyntax => DicomTransferSyntax.Lookup(PresentationContext.TransferSyntax);
}
