using CxrPacsAgent.Dicom.Network.Dimse;

namespace CxrPacsAgent.Dicom.Network.Client;

/// <summary>What became of one file sent with C-STORE.</summary>
public sealed record StoreResult(string Path, string? SopInstanceUid, DimseStatus? Status, string? Error)
{
    /// <summary>The transfer syntax the data set went in; null when it was not sent.</summary>
    public string? TransferSyntaxUid { get; init; }

    /// <summary>True when the data set was re-encoded rather than streamed as stored.</summary>
    public bool Transcoded { get; init; }

    /// <summary>The file is not DICOM (or not readable as such), so nothing was sent.</summary>
    public bool NotDicom { get; init; }

    /// <summary>Success or a warning: the peer has the instance.</summary>
    public bool Succeeded => Status is { IsFailure: false } status && status.Category != DimseStatusCategory.Cancel;

    public override string ToString() =>
        $"{System.IO.Path.GetFileName(Path)} {SopInstanceUid}: {(Status is { } s ? s.ToString() : "not sent")}{(Error is null ? "" : " - " + Error)}";
}
