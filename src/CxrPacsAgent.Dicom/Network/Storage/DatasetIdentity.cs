using System.IO.Compression;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Dicom.Network.Storage;

/// <summary>
/// Reads SOP Class and Instance UID from the head of a stored data set, without loading the rest: they are among the
/// first elements (group 0008), so a few kilobytes decide whether the data set matches its command.
/// </summary>
internal static class DatasetIdentity
{
    private static readonly DicomReadOptions HeadOnly = new() { StopAt = new DicomTag(0x0008, 0x0019) };

    public static bool TryRead(string path, long datasetOffset, DicomTransferSyntax syntax, out string? sopClassUid,
        out string? sopInstanceUid, out string? error)
    {
        sopClassUid = sopInstanceUid = error = null;
        foreach (var size in new[] { 64 * 1024, 4 * 1024 * 1024 })
        {
            try
            {
                var head = ReadHead(path, datasetOffset, syntax.IsDeflated, size);
                var readSyntax = syntax.IsDeflated ? DicomTransferSyntax.ExplicitVRLittleEndian : syntax;
                var dataset = DicomDatasetReader.Read(head, readSyntax, HeadOnly);
                sopClassUid = dataset.GetString(DicomTags.SOPClassUID);
                sopInstanceUid = dataset.GetString(DicomTags.SOPInstanceUID);
                return true;
            }
            catch (Exception e) when (e is DicomFormatException or InvalidDataException or ArgumentException or FormatException or EndOfStreamException)
            {
                error = e.Message;
            }
        }
        return false;
    }

    private static byte[] ReadHead(string path, long offset, bool deflated, int size)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
        file.Position = offset;
        Stream source = deflated ? new DeflateStream(file, CompressionMode.Decompress) : file;
        try
        {
            var buffer = new byte[size];
            var total = 0;
            int n;
            while (total < size && (n = source.Read(buffer, total, size - total)) > 0)
            {
                total += n;
            }
            return buffer.AsSpan(0, total).ToArray();
        }
        finally
        {
            if (deflated)
            {
                source.Dispose();
            }
        }
    }
}
