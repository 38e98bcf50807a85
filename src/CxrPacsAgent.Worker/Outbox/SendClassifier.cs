using CxrPacsAgent.Dicom.Network;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Worker.Outbox;

/// <summary>
/// Which failures are worth retrying (PS3.4 B.2.3 and PS3.8 9.3.4): what a busy, restarting or full PACS answers is
/// retried; what says "this object or this association will never be accepted" goes to the dead letters at once.
/// </summary>
public static class SendClassifier
{
    public static SendOutcome FromStatus(DimseStatus status, string? comment)
    {
        var detail = comment is null ? status.ToString() : $"{status} - {comment}";
        if (!status.IsFailure && status.Category != DimseStatusCategory.Cancel)
        {
            return SendOutcome.Delivered(detail);
        }
        return status.Code switch
        {
            // The destination has this SOP Instance already: what a re-send after a lost association can meet.
            0x0111 => SendOutcome.Delivered(detail),
            >= 0xA700 and <= 0xA7FF => new(SendVerdict.Retry, "OutOfResources", detail),
            >= 0xA900 and <= 0xA9FF => new(SendVerdict.Final, "DataSetDoesNotMatchSopClass", detail),
            >= 0xC000 and <= 0xCFFF => new(SendVerdict.Final, "CannotUnderstand", detail),
            0x0122 => new(SendVerdict.Final, "SopClassNotSupported", detail),
            0x0124 => new(SendVerdict.Final, "NotAuthorized", detail),
            // Processing failure, unrecognised codes, cancel: nothing says they are for good.
            _ => new(SendVerdict.Retry, "Failure" + status.Code.ToString("X4", System.Globalization.CultureInfo.InvariantCulture), detail),
        };
    }

    /// <summary>An association that could not be made or was lost.</summary>
    public static SendOutcome FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            AssociationRejectedException { Reject.Result: AssociateRejectResult.RejectedTransient } e =>
                new(SendVerdict.Retry, "AssociationRejectedTransient", e.Message),
            AssociationRejectedException e => new(SendVerdict.Final, "AssociationRejectedPermanent", e.Message),
            DicomNetworkException e when e.Message.StartsWith("cannot connect", StringComparison.Ordinal) =>
                new(SendVerdict.Retry, "ConnectionFailed", e.Message),
            DicomNetworkException e when e.Message.StartsWith("no ", StringComparison.Ordinal) => new(SendVerdict.Retry, "Timeout", e.Message),
            DicomNetworkException or IOException or TimeoutException => new(SendVerdict.Retry, "AssociationLost", exception.Message),
            _ => new(SendVerdict.Retry, exception.GetType().Name, exception.Message),
        };
    }
}
