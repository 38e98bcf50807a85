using System.Buffers;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Network.Dimse;
using Microsoft.Win32.SafeHandles;

namespace CxrPacsAgent.Dicom.Network.Storage;

/// <summary>
/// A Part 10 file being received: the File Meta Information built from the command, then the data set's PDV bytes
/// appended as they arrive (gathered writes, no copy), in the temp folder until it is complete.
/// </summary>
internal sealed class IncomingInstanceFile : IDisposable
{
    /// <summary>Bytes appended between two writeback starts (see <see cref="Writeback"/>).</summary>
    private const long WritebackChunk = 2 * 1024 * 1024;

    private readonly List<ReadOnlyMemory<byte>> segments = [];
    private readonly bool writeback;
    private SafeFileHandle? handle;
    private long writebackStarted;
    private Task writebackDone = Task.CompletedTask;

    private IncomingInstanceFile(string path, SafeFileHandle handle, long datasetOffset, bool writeback)
    {
        TempPath = path;
        this.handle = handle;
        this.writeback = writeback;
        DatasetOffset = datasetOffset;
        Length = datasetOffset;
    }

    public string TempPath { get; }

    public long DatasetOffset { get; }

    public long Length { get; private set; }

    /// <param name="writeback">Start writing to disk while data arrives, for a file that will be fsync'd.</param>
    public static IncomingInstanceFile Create(string tempDirectory, StoreRequestContext request, bool writeback)
    {
        Directory.CreateDirectory(tempDirectory);
        var path = Path.Combine(tempDirectory, Guid.NewGuid().ToString("N") + ".part");
        var header = new MemoryStream(512);
        DicomFileMetaInformation.WriteHeader(header, BuildMeta(request));
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        try
        {
            RandomAccess.Write(handle, header.GetBuffer().AsSpan(0, (int)header.Length), 0);
        }
        catch
        {
            handle.Dispose();
            File.Delete(path);
            throw;
        }
        return new IncomingInstanceFile(path, handle, header.Length, writeback);
    }

    public void Append(ReadOnlySequence<byte> data)
    {
        var h = handle ?? throw new ObjectDisposedException(nameof(IncomingInstanceFile));
        if (data.IsSingleSegment)
        {
            RandomAccess.Write(h, data.FirstSpan, Length);
        }
        else
        {
            segments.Clear();
            foreach (var segment in data)
            {
                segments.Add(segment);
            }
            RandomAccess.Write(h, segments, Length);
        }
        Length += data.Length;
        // Submitting I/O can block on a busy device, so it runs beside the receive loop; one request at a time, and
        // the next one covers whatever was appended meanwhile.
        if (writeback && Length - writebackStarted >= WritebackChunk && writebackDone.IsCompleted)
        {
            var (offset, length) = (writebackStarted, Length - writebackStarted);
            writebackStarted = Length;
            writebackDone = Task.Run(() => Writeback.Start(h, offset, length));
        }
    }

    /// <summary>Closes the file, after an fsync when asked: it is then complete on disk.</summary>
    public void Complete(bool flushToDisk)
    {
        var h = handle ?? throw new ObjectDisposedException(nameof(IncomingInstanceFile));
        writebackDone.GetAwaiter().GetResult();
        if (flushToDisk)
        {
            RandomAccess.FlushToDisk(h);
        }
        h.Dispose();
        handle = null;
    }

    /// <summary>Removes the temporary file (an aborted or refused store leaves nothing behind).</summary>
    public void Delete()
    {
        Dispose();
        try
        {
            File.Delete(TempPath);
        }
        catch (IOException)
        {
            // Left for the start-up sweep of the temp folder.
        }
    }

    public void Dispose()
    {
        // The handle outlives any writeback request still running on it.
        writebackDone.Wait();
        handle?.Dispose();
        handle = null;
    }

    // The UIDs come from the peer's command and are written as given: validating them here would turn a peer's
    // slightly malformed UID into a failure to store (the identity check reports real mismatches).
    private static DicomDataset BuildMeta(StoreRequestContext request)
    {
        var meta = new DicomDataset();
        meta.AddOrUpdateBytes(DicomTags.FileMetaInformationVersion, DicomVR.OB, [0x00, 0x01]);
        CommandSet.SetUid(meta, DicomTags.MediaStorageSOPClassUID, request.SopClassUid);
        CommandSet.SetUid(meta, DicomTags.MediaStorageSOPInstanceUID, request.SopInstanceUid);
        CommandSet.SetUid(meta, DicomTags.TransferSyntaxUID, request.PresentationContext.TransferSyntax);
        CommandSet.SetUid(meta, DicomTags.ImplementationClassUID, DicomImplementation.ClassUid);
        meta.AddOrUpdate(DicomTags.ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName);
        meta.AddOrUpdate(DicomTags.SourceApplicationEntityTitle, DicomVR.AE, request.Association.CallingAeTitle);
        return meta;
    }
}
