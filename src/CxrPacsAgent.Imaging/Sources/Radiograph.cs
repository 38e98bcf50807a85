using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Imaging.Sources;

/// <summary>A radiograph as displayed brightness, with its DICOM header when it came from DICOM.</summary>
public sealed record Radiograph(GrayImage Image, DicomDataset? Dataset)
{
    /// <summary>Reads a DICOM file (any transfer syntax the toolkit decodes) or, for research use, a PNG/JPEG.</summary>
    public static Radiograph Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return IsPicture(path) ? new Radiograph(ImageFile.LoadGray(path), null) : FromDicom(DicomFile.Open(path));
    }

    /// <summary>The DICOM header only (the view filter needs nothing more before deciding to decode).</summary>
    public static DicomFile OpenDicom(string path) => DicomFile.Open(path);

    /// <summary>Renders frame 0 through the DICOM grayscale pipeline (Modality LUT, VOI, MONOCHROME1 inversion).</summary>
    public static Radiograph FromDicom(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            var description = PixelDescription.FromDataset(file.Dataset);
            var pixels = DicomGrayscalePipeline.Render(file.Dataset, file.TransferSyntax);
            return new Radiograph(new GrayImage(description.Columns, description.Rows, pixels), file.Dataset);
        }
        catch (Exception e) when (e is DicomPixelDataException or DicomCodecException or DicomFormatException)
        {
            throw new ImageException(ImageError.Unreadable, $"The pixels cannot be decoded: {e.Message}", e);
        }
    }

    /// <summary>PNG and JPEG by their signatures, not their names (research files are often misnamed).</summary>
    public static bool IsPicture(string path)
    {
        Span<byte> head = stackalloc byte[8];
        using var stream = File.OpenRead(path);
        var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var png = n >= 8 && head[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var jpeg = n >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF;
        return png || jpeg;
    }
}
