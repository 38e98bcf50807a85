using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Dicom.Tests.TestSupport;

/// <summary>Small in-memory grayscale images for LUT and error tests.</summary>
internal static class TestImages
{
    public static DicomDataset Grayscale16(int[] values, int bitsStored = 16, bool signed = false, string photometric = "MONOCHROME2")
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, photometric);
        ds.AddOrUpdate(DicomTags.Rows, (ushort)1);
        ds.AddOrUpdate(DicomTags.Columns, (ushort)values.Length);
        ds.AddOrUpdate(DicomTags.BitsAllocated, (ushort)16);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)bitsStored);
        ds.AddOrUpdate(DicomTags.HighBit, (ushort)(bitsStored - 1));
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)(signed ? 1 : 0));
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, values.Select(v => (ushort)v).ToArray());
        return ds;
    }

    public static DicomTransferSyntax Native => DicomTransferSyntax.ExplicitVRLittleEndian;
}
