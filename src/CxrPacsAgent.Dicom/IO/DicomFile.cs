using System.IO.Compression;
using System.IO.MemoryMappedFiles;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.IO;

/// <summary>
/// A DICOM file (PS3.10 7): preamble, "DICM", File Meta Information and the data set. Files without preamble or meta
/// group, as older modalities wrote them, are read too; the encoding is then inferred from the first element.
/// </summary>
public sealed class DicomFile
{
    /// <summary>Files at least this large are memory-mapped, so that bytes never looked at are never read.</summary>
    private const long MapThreshold = 1 << 20;

    public DicomFile(DicomDataset fileMetaInformation, DicomDataset dataset)
    {
        FileMetaInformation = fileMetaInformation ?? throw new ArgumentNullException(nameof(fileMetaInformation));
        Dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        var uid = fileMetaInformation.GetString(DicomTags.TransferSyntaxUID);
        TransferSyntax = uid is null ? DicomTransferSyntax.ImplicitVRLittleEndian : DicomTransferSyntax.Lookup(uid);
    }

    private DicomFile(DicomDataset meta, DicomDataset dataset, DicomTransferSyntax syntax, long datasetOffset, bool preamble)
    {
        FileMetaInformation = meta;
        Dataset = dataset;
        TransferSyntax = syntax;
        DatasetOffset = datasetOffset;
        HasPreamble = preamble;
    }

    public DicomDataset FileMetaInformation { get; }

    public DicomDataset Dataset { get; }

    /// <summary>The syntax the data set was read in (from (0002,0010), or inferred when the file has no meta group).</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>Byte offset of the data set (or, for deflated files, of the deflate stream) in the file read.</summary>
    public long DatasetOffset { get; }

    public bool HasPreamble { get; }

    public bool HasMetaInformation => FileMetaInformation.Count > 0;

    /// <summary>Wraps a data set as a file, with meta information from its SOP Class and Instance UIDs.</summary>
    public static DicomFile Create(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        var meta = DicomFileMetaInformation.Create(
            dataset.GetString(DicomTags.SOPClassUID) ?? throw new InvalidOperationException("the data set has no SOP Class UID (0008,0016)"),
            dataset.GetString(DicomTags.SOPInstanceUID) ?? throw new InvalidOperationException("the data set has no SOP Instance UID (0008,0018)"),
            syntax.Uid);
        return new DicomFile(meta, dataset, syntax, -1, preamble: true);
    }

    /// <summary>Reads a file; values of <see cref="DicomReadOptions.DeferThreshold"/> bytes or more stay on disk until used.</summary>
    public static DicomFile Open(string path, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= DicomReadOptions.Default;
        var fullPath = System.IO.Path.GetFullPath(path);
        var length = new FileInfo(fullPath).Length;
        if (length < MapThreshold)
        {
            return Parse(File.ReadAllBytes(fullPath), fullPath, options);
        }
        if (length > int.MaxValue)
        {
            throw new DicomFormatException($"file of {length} bytes is larger than the 2 GiB this reader maps", null, 0);
        }
        using var map = MemoryMappedFile.CreateFromFile(fullPath, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        unsafe
        {
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            try
            {
                return Parse(new ReadOnlySpan<byte>(pointer + view.PointerOffset, (int)length), fullPath, options);
            }
            finally
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
        }
    }

    /// <summary>Reads a file held in memory (every value is copied out of <paramref name="bytes"/>).</summary>
    public static DicomFile Read(ReadOnlySpan<byte> bytes, DicomReadOptions? options = null) =>
        Parse(bytes, null, options ?? DicomReadOptions.Default);

    private static DicomFile Parse(ReadOnlySpan<byte> bytes, string? path, DicomReadOptions options)
    {
        var preamble = bytes.Length >= 132 && bytes.Slice(128, 4).SequenceEqual("DICM"u8);
        var position = preamble ? 132 : bytes.Length >= 4 && bytes[..4].SequenceEqual("DICM"u8) ? 4 : 0;
        var meta = DicomDatasetReader.ReadGroup(bytes[position..], 0x0002, options, position, out var metaLength);
        position += metaLength;
        if (position == 0 && bytes.Length < 8)
        {
            throw new DicomFormatException($"{bytes.Length} bytes are too few for a DICOM file", null, 0);
        }
        var uid = TransferSyntaxUid(meta);
        var syntax = uid is null ? DicomTransferSyntax.ImplicitVRLittleEndian : DicomTransferSyntax.Lookup(uid);
        DicomDataset dataset;
        if (syntax.IsDeflated)
        {
            var inflated = Inflate(bytes[position..], position, options.MaxInflatedLength);
            dataset = DicomDatasetReader.Read(inflated, DicomTransferSyntax.ExplicitVRLittleEndian, options, 0, null, out _,
                inferEndianness: false);
        }
        else
        {
            dataset = DicomDatasetReader.Read(bytes[position..], syntax, options, position, path, out _, inferEndianness: uid is null);
        }
        if (uid is null && dataset.Count == 0 && meta.Count == 0)
        {
            throw new DicomFormatException("no DICOM elements found", null, 0);
        }
        return new DicomFile(meta, dataset, syntax, position, preamble);
    }

    /// <summary>(0002,0010) as read; a VR other than text there (found by fuzzing) is malformed input, not a caller's error.</summary>
    private static string? TransferSyntaxUid(DicomDataset meta)
    {
        if (meta[DicomTags.TransferSyntaxUID] is { } item && !(item is DicomElement element && element.VR.IsText))
        {
            throw new DicomFormatException($"Transfer Syntax UID has VR {item.VR.Code}, not UI", DicomTags.TransferSyntaxUID, -1);
        }
        return meta.GetString(DicomTags.TransferSyntaxUID);
    }

    private static byte[] Inflate(ReadOnlySpan<byte> deflated, long offset, int maxLength)
    {
        try
        {
            using var input = new MemoryStream(deflated.ToArray(), writable: false);
            using var inflater = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int n;
            while ((n = inflater.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + n > maxLength)
                {
                    throw new DicomFormatException($"deflated data set inflates past {maxLength} bytes", null, offset);
                }
                output.Write(buffer, 0, n);
            }
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DicomFormatException("the deflated data set is not a valid deflate stream", null, offset, e);
        }
    }

    /// <summary>
    /// Writes the file to <paramref name="path"/> through a temporary file in the same folder and an atomic rename, so
    /// a reader never sees half a file. <paramref name="flushToDisk"/> makes it durable: the file is fsync'd before the
    /// rename and its folder after it.
    /// </summary>
    public void Save(string path, DicomTransferSyntax? syntax = null, DicomWriteOptions? options = null, bool flushToDisk = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        var temp = fullPath + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                WriteTo(stream, syntax, options);
                stream.Flush(flushToDisk);
            }
            File.Move(temp, fullPath, overwrite: true);
            if (flushToDisk)
            {
                // The rename is durable only once the folder's entry is on disk too.
                Network.Storage.DirectorySync.Flush(System.IO.Path.GetDirectoryName(fullPath)!);
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Writes preamble, meta group (updated for the syntax and this writer) and data set.</summary>
    public void WriteTo(Stream destination, DicomTransferSyntax? syntax = null, DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        syntax ??= TransferSyntax.IsWritable ? TransferSyntax : DicomTransferSyntax.ExplicitVRLittleEndian;
        DicomFileMetaInformation.WriteHeader(destination, MetaFor(syntax));
        if (!syntax.IsDeflated)
        {
            DicomDatasetWriter.Write(destination, Dataset, syntax, options);
            return;
        }
        var counted = new CountingStream(destination);
        using (var deflater = new DeflateStream(counted, CompressionLevel.Optimal, leaveOpen: true))
        {
            DicomDatasetWriter.Write(deflater, Dataset, DicomTransferSyntax.ExplicitVRLittleEndian, options);
        }
        if ((counted.Written & 1) == 1)
        {
            // A deflated stream of odd length is followed by one NUL (PS3.5 A.5), which inflating ignores.
            destination.WriteByte(0);
        }
    }

    private void CopyUid(DicomTag from, DicomTag to, DicomDataset meta)
    {
        if (Dataset.TryGetElement(from, out var element) && element.VR == DicomVR.UI && element.Length > 0)
        {
            meta.Add(new DicomElement(to, DicomVR.UI, element.Buffer));
        }
    }

    private DicomDataset MetaFor(DicomTransferSyntax syntax)
    {
        var meta = FileMetaInformation.Clone();
        if (!meta.Contains(DicomTags.FileMetaInformationVersion))
        {
            meta.AddOrUpdateBytes(DicomTags.FileMetaInformationVersion, DicomVR.OB, [0x00, 0x01]);
        }
        // PS3.10 7.1: the media storage UIDs are those of the data set; a stale meta group must not survive a rewrite.
        // The bytes are copied as they are, so a UID that breaks PS3.5 9.1 (leading zeros, say) still matches.
        CopyUid(DicomTags.SOPClassUID, DicomTags.MediaStorageSOPClassUID, meta);
        CopyUid(DicomTags.SOPInstanceUID, DicomTags.MediaStorageSOPInstanceUID, meta);
        meta.AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, syntax.Uid);
        meta.AddOrUpdate(DicomTags.ImplementationClassUID, DicomVR.UI, DicomImplementation.ClassUid);
        meta.AddOrUpdate(DicomTags.ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName);
        return meta;
    }
}
