namespace CxrPacsAgent.Dicom.Network.Storage;

/// <summary>Where and how a store SCP puts what it receives.</summary>
public sealed record StorageOptions
{
    /// <summary>The folder finished instances go to; incoming ones are written to its <see cref="TempFolderName"/> folder.</summary>
    public required string OutputDirectory { get; init; }

    public const string TempFolderName = "tmp";

    /// <summary>Temporary files live on the same volume as the output, so the final rename is atomic.</summary>
    public string TempDirectory => Path.Combine(OutputDirectory, TempFolderName);

    /// <summary>fsync the file (and its folder after the rename) before success is answered.</summary>
    public bool FlushToDisk { get; init; } = true;

    /// <summary>Below this much free space a C-STORE is refused with A700H (out of resources) before any data arrives.</summary>
    public long MinimumFreeDiskSpace { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// A data set whose SOP Class UID differs from the command's is refused with A900H when true; when false it is
    /// stored and answered with warning B007H.
    /// </summary>
    public bool RejectSopClassMismatch { get; init; } = true;
}
