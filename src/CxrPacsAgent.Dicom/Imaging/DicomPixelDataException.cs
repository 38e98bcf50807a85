namespace CxrPacsAgent.Dicom.Imaging;

/// <summary>
/// The Image Pixel module of a data set is inconsistent (PS3.3 C.7.6.3), or its pixel data does not fit it. Names the
/// attribute at fault so an operator can fix the sender.
/// </summary>
public sealed class DicomPixelDataException : Exception
{
    public DicomPixelDataException() { }

    public DicomPixelDataException(string message) : base(message) { }

    public DicomPixelDataException(string message, Exception innerException) : base(message, innerException) { }
}
