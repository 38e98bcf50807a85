using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Dicom.Network.Client;

/// <summary>
/// A Part 10 file to send, known by its header only: SOP class and instance, transfer syntax and where its data set
/// starts, so it can be streamed from disk as it is.
/// </summary>
public sealed class StoreFile
{
    private static readonly DicomReadOptions HeaderOnly = new() { StopAt = new DicomTag(0x0008, 0x0019) };

    private StoreFile(string path, string sopClassUid, string sopInstanceUid, DicomTransferSyntax syntax, long datasetOffset, long length)
    {
        Path = path;
        SopClassUid = sopClassUid;
        SopInstanceUid = sopInstanceUid;
        TransferSyntax = syntax;
        DatasetOffset = datasetOffset;
        Length = length;
    }

    public string Path { get; }

    public string SopClassUid { get; }

    public string SopInstanceUid { get; }

    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>Byte offset of the data set (for deflated files, of the deflate stream).</summary>
    public long DatasetOffset { get; }

    public long Length { get; }

    public long DatasetLength => Length - DatasetOffset;

    /// <summary>Native or deflated data sets can be re-encoded into another native syntax; compressed pixels cannot.</summary>
    public bool CanTranscode => !TransferSyntax.IsEncapsulated;

    public static bool TryOpen(string path, out StoreFile? file, out string? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        file = null;
        try
        {
            var full = System.IO.Path.GetFullPath(path);
            var dicom = DicomFile.Open(full, HeaderOnly);
            // The command must name what the data set says it is; a meta group that disagrees (it happens) loses.
            var sopClass = dicom.Dataset.GetString(DicomTags.SOPClassUID) ?? dicom.FileMetaInformation.GetString(DicomTags.MediaStorageSOPClassUID);
            var sopInstance = dicom.Dataset.GetString(DicomTags.SOPInstanceUID) ?? dicom.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID);
            if (sopClass is null || sopInstance is null)
            {
                error = "no SOP Class or SOP Instance UID";
                return false;
            }
            file = new StoreFile(full, sopClass, sopInstance, dicom.TransferSyntax, dicom.DatasetOffset, new FileInfo(full).Length);
            error = null;
            return true;
        }
        catch (Exception e) when (e is DicomFormatException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            error = e.Message;
            return false;
        }
    }
}
