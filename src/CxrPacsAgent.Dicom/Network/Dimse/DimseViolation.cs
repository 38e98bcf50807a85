namespace CxrPacsAgent.Dicom.Network.Dimse;

/// <summary>A DIMSE message that breaks PS3.7 (or PS3.8's rules for PDVs); each one aborts the association.</summary>
public enum DimseViolation
{
    None = 0,
    /// <summary>A PDV on a presentation context that was not accepted.</summary>
    UnacceptedPresentationContext,
    /// <summary>A command before the previous message's data set was complete.</summary>
    CommandInsideDataSet,
    /// <summary>A command set longer than any real one.</summary>
    CommandTooLong,
    /// <summary>Command fragments on different presentation contexts.</summary>
    CommandContextChanged,
    /// <summary>A command set that does not decode (Implicit VR Little Endian, PS3.7 6.3.1).</summary>
    InvalidCommandSet,
    /// <summary>A request without Message ID (0000,0110).</summary>
    MissingMessageId,
    /// <summary>Command Data Set Type (0000,0800) contradicts the operation (e.g. C-ECHO with a data set).</summary>
    WrongDataSetType,
    /// <summary>A response where a request was due (we requested nothing), or a malformed response to our request.</summary>
    UnexpectedResponse,
    /// <summary>A data set fragment without a command.</summary>
    DataSetWithoutCommand,
    /// <summary>Data set fragments on another presentation context than their command.</summary>
    DataSetContextChanged,
}
