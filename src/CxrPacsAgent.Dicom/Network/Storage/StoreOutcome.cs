using CxrPacsAgent.Dicom.Network.Dimse;

namespace CxrPacsAgent.Dicom.Network.Storage;

/// <summary>The status a store handler wants answered, with an optional Error Comment.</summary>
public readonly record struct StoreOutcome(DimseStatus Status, string? ErrorComment = null)
{
    public static StoreOutcome Success { get; } = new(DimseStatus.Success);
}
