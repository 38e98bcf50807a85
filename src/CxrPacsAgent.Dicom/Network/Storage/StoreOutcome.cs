using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Network.Dimse;

namespace CxrPacsAgent.Dicom.Network.Storage;

/// <summary>The status a store handler wants answered, with an optional Error Comment.</summary>
public readonly record struct StoreOutcome(DimseStatus Status, string? ErrorComment = null)
{
    public static StoreOutcome Success { get; } = new(DimseStatus.Success);

    /// <summary>More than the 64 characters of the Error Comment can carry, for the log only.</summary>
    public string? Detail { get; init; }

    /// <summary>Offending Element (0000,0901) of the response: the attribute a failure is about.</summary>
    public DicomTag? OffendingElement { get; init; }
}
