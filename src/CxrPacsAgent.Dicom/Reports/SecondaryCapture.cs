using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Reports;

/// <summary>
/// Builds a Secondary Capture Image (PS3.3 A.8.1) of 8-bit RGB pixels for the study of a source instance: Patient,
/// General Study and Patient Study copied from the source; General Series; General and SC Equipment; General Image
/// (DERIVED\SECONDARY, derivation, source images, Burned In Annotation); Image Pixel; SC Image; SOP Common.
/// </summary>
public static class SecondaryCapture
{
    /// <param name="source">The instance the picture was made from: patient, study and lossy history come from it.</param>
    /// <param name="header">Identity and provenance of the new instance.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="rgb">Interleaved 8-bit RGB, row-major, width × height × 3 bytes.</param>
    public static DicomDataset Build(DicomDataset source, SecondaryCaptureHeader header, int width, int height, ReadOnlySpan<byte> rgb)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(header);
        if (width is <= 0 or > ushort.MaxValue || height is <= 0 or > ushort.MaxValue || rgb.Length != (long)width * height * 3)
        {
            throw new ArgumentException($"{width}x{height} RGB needs {(long)width * height * 3} bytes, got {rgb.Length}", nameof(rgb));
        }
        // SOP Common, General Series.
        var (ds, when) = NewInstance.Start(source, DicomUids.SecondaryCaptureImageStorage, header.SopInstanceUid, header.Modality,
            header.SeriesInstanceUid, header.SeriesNumber, header.SeriesDescription, header.ContentDateTime, header.ContributingEquipment);
        if (source.TryGetItem(DicomTags.BodyPartExamined, out var bodyPart))
        {
            ds.Add(bodyPart);
        }
        else if (header.BodyPartExamined is { } examined)
        {
            ds.AddOrUpdate(DicomTags.BodyPartExamined, examined);
        }
        else
        {
            // Laterality is Type 2C (paired body parts): unknown body part, so present and empty.
            ds.AddOrUpdate(DicomTags.Laterality, Array.Empty<string>());
        }

        // General Equipment; SC Equipment.
        header.Equipment.WriteTo(ds);
        ds.AddOrUpdate(DicomTags.ConversionType, header.ConversionType);
        ds.AddOrUpdate(DicomTags.SecondaryCaptureDeviceManufacturer, header.Equipment.Manufacturer);
        ds.AddOrUpdate(DicomTags.SecondaryCaptureDeviceManufacturerModelName, header.Equipment.ModelName);
        ds.AddOrUpdate(DicomTags.SecondaryCaptureDeviceSoftwareVersions, header.Equipment.SoftwareVersions);

        WriteGeneralImage(ds, source, header, when);

        // Image Pixel.
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)3);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, "RGB");
        ds.AddOrUpdate(DicomTags.PlanarConfiguration, (ushort)0);
        ds.AddOrUpdate(DicomTags.Rows, (ushort)height);
        ds.AddOrUpdate(DicomTags.Columns, (ushort)width);
        ds.AddOrUpdate(DicomTags.BitsAllocated, (ushort)8);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)8);
        ds.AddOrUpdate(DicomTags.HighBit, (ushort)7);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0);
        ds.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OB, rgb);

        // SC Image.
        ds.AddOrUpdate(DicomTags.DateOfSecondaryCapture, DicomDateTimes.Date(when));
        ds.AddOrUpdate(DicomTags.TimeOfSecondaryCapture, DicomDateTimes.Time(when));
        return ds;
    }

    private static void WriteGeneralImage(DicomDataset ds, DicomDataset source, SecondaryCaptureHeader header, DateTimeOffset when)
    {
        ds.AddOrUpdate(DicomTags.InstanceNumber, NewInstance.Integer(header.InstanceNumber));
        ds.AddOrUpdate(DicomTags.PatientOrientation, Array.Empty<string>());
        ds.AddOrUpdate(DicomTags.ContentDate, DicomDateTimes.Date(when));
        ds.AddOrUpdate(DicomTags.ContentTime, DicomDateTimes.Time(when));
        ds.AddOrUpdate(DicomTags.ImageType, "DERIVED", "SECONDARY");
        ds.AddOrUpdate(DicomTags.DerivationDescription, header.DerivationDescription);
        if (header.DerivationCodes.Count > 0)
        {
            var codes = ds.AddSequence(DicomTags.DerivationCodeSequence);
            foreach (var code in header.DerivationCodes)
            {
                var item = new DicomDataset();
                codes.Items.Add(item);
                code.WriteTo(item);
            }
        }
        if (header.SourceImages.Count > 0)
        {
            var sources = ds.AddSequence(DicomTags.SourceImageSequence);
            foreach (var image in header.SourceImages)
            {
                var item = new DicomDataset();
                sources.Items.Add(item);
                item.AddOrUpdate(DicomTags.ReferencedSOPClassUID, image.SopClassUid);
                item.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, image.SopInstanceUid);
                ContentTreeWriter.AddCode(item, DicomTags.PurposeOfReferenceCodeSequence, Codes.SourceImageForImageProcessing);
            }
        }
        ds.AddOrUpdate(DicomTags.BurnedInAnnotation, header.BurnedInAnnotation ? "YES" : "NO");
        // PS3.3 C.7.6.1.1.5: an image derived from a lossy compressed one stays flagged as lossy, with its history.
        if (source.GetString(DicomTags.LossyImageCompression)?.Trim() == "01")
        {
            ds.AddOrUpdate(DicomTags.LossyImageCompression, "01");
            foreach (var tag in new[] { DicomTags.LossyImageCompressionRatio, DicomTags.LossyImageCompressionMethod })
            {
                if (source.TryGetItem(tag, out var history))
                {
                    ds.Add(history);
                }
            }
        }
        else
        {
            ds.AddOrUpdate(DicomTags.LossyImageCompression, "00");
        }
    }
}
