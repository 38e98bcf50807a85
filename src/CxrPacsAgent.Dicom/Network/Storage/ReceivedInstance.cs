namespace CxrPacsAgent.Dicom.Network.Storage;

/// <summary>
/// A received instance, complete and (by default) fsync'd in a temporary Part 10 file, waiting for its handler to
/// commit it.
/// </summary>
public sealed class ReceivedInstance
{
    private readonly bool flushToDisk;

    internal ReceivedInstance(StoreRequestContext request, string tempFilePath, long fileLength, long datasetOffset,
        string? datasetSopClassUid, string? datasetSopInstanceUid, bool flushToDisk)
    {
        Request = request;
        TempFilePath = tempFilePath;
        FileLength = fileLength;
        DatasetOffset = datasetOffset;
        DatasetSopClassUid = datasetSopClassUid;
        DatasetSopInstanceUid = datasetSopInstanceUid;
        this.flushToDisk = flushToDisk;
    }

    public StoreRequestContext Request { get; }

    public string SopClassUid => Request.SopClassUid;

    public string SopInstanceUid => Request.SopInstanceUid;

    /// <summary>The whole Part 10 file: preamble, meta group (from the command) and the data set as received.</summary>
    public string TempFilePath { get; }

    public long FileLength { get; }

    /// <summary>Where the data set starts in the file.</summary>
    public long DatasetOffset { get; }

    /// <summary>SOP Class UID (0008,0016) found in the data set itself.</summary>
    public string? DatasetSopClassUid { get; }

    /// <summary>SOP Instance UID (0008,0018) found in the data set itself.</summary>
    public string? DatasetSopInstanceUid { get; }

    /// <summary>Set once committed; the temporary file no longer exists then.</summary>
    public string? CommittedPath { get; private set; }

    /// <summary>
    /// Moves the file to <paramref name="finalPath"/> with an atomic rename (replacing an older copy) and fsyncs the
    /// folder, so the name is durable too. <paramref name="finalPath"/> must be on the output folder's volume.
    /// </summary>
    public ValueTask<string> CommitAsync(string finalPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(finalPath);
        if (CommittedPath is not null)
        {
            throw new InvalidOperationException($"already committed to '{CommittedPath}'");
        }
        cancellationToken.ThrowIfCancellationRequested();
        var full = Path.GetFullPath(finalPath);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        File.Move(TempFilePath, full, overwrite: true);
        CommittedPath = full;
        if (flushToDisk)
        {
            DirectorySync.Flush(folder);
        }
        return ValueTask.FromResult(full);
    }
}
