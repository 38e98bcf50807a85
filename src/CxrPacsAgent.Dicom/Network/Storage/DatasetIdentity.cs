using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Dicom.Network.Storage;

/// <summary>
/// Parses a received Part 10 file as a whole — every element to the last, inside sequences and encapsulated pixel
/// data too — before success is answered, and reads its SOP Class and Instance UID. Large values stay on disk (the
/// file is mapped, not read), so the check costs a walk over the element headers.
/// </summary>
internal static class DatasetIdentity
{
    /// <summary>The UIDs, or the parse failure with its offset counted from the start of the data set.</summary>
    public static DatasetCheck Read(string path, long datasetOffset, bool deflated)
    {
        try
        {
            var file = DicomFile.Open(path);
            return new DatasetCheck(file.Dataset.GetString(DicomTags.SOPClassUID), file.Dataset.GetString(DicomTags.SOPInstanceUID),
                null, -1);
        }
        catch (DicomFormatException e)
        {
            // A deflated data set is parsed after inflating: its offsets count in the inflated stream already (a stream
            // that does not inflate is reported at its first byte, the data set's offset 0).
            var offset = e.Offset < 0 ? -1 : deflated ? (e.Offset == datasetOffset ? 0 : e.Offset) : e.Offset - datasetOffset;
            return new DatasetCheck(null, null, e, offset);
        }
    }
}

/// <param name="Error">Why the data set does not parse; null when it does.</param>
/// <param name="ErrorOffset">Byte offset of the problem within the data set (-1 when unknown).</param>
internal readonly record struct DatasetCheck(string? SopClassUid, string? SopInstanceUid, DicomFormatException? Error, long ErrorOffset);
