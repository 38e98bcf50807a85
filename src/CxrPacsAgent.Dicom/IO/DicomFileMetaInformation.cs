using System.Buffers.Binary;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.IO;

/// <summary>The File Meta Information group (0002) of PS3.10 7.1, always Explicit VR Little Endian.</summary>
public static class DicomFileMetaInformation
{
    /// <summary>Builds the meta group for an instance, identifying this implementation as its writer.</summary>
    public static DicomDataset Create(string sopClassUid, string sopInstanceUid, string transferSyntaxUid,
        string? sourceApplicationEntityTitle = null)
    {
        var meta = new DicomDataset();
        meta.AddOrUpdateBytes(DicomTags.FileMetaInformationVersion, DicomVR.OB, [0x00, 0x01]);
        meta.AddOrUpdate(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClassUid);
        meta.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstanceUid);
        meta.AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, transferSyntaxUid);
        meta.AddOrUpdate(DicomTags.ImplementationClassUID, DicomVR.UI, DicomImplementation.ClassUid);
        meta.AddOrUpdate(DicomTags.ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName);
        if (sourceApplicationEntityTitle is not null)
        {
            meta.AddOrUpdate(DicomTags.SourceApplicationEntityTitle, DicomVR.AE, sourceApplicationEntityTitle);
        }
        return meta;
    }

    /// <summary>
    /// Writes the 128-byte preamble, "DICM" and the meta group with a freshly computed (0002,0000) group length.
    /// </summary>
    public static void WriteHeader(Stream destination, DicomDataset meta)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(meta);
        var group = new DicomDataset(meta.Where(i => i.Tag.Group == 0x0002 && i.Tag.Element != 0));
        var length = DicomDatasetWriter.ComputeLength(group, DicomTransferSyntax.ExplicitVRLittleEndian);
        var groupLength = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, checked((uint)length));
        group.Add(new DicomElement(DicomTags.FileMetaInformationGroupLength, DicomVR.UL, groupLength));

        Span<byte> preamble = stackalloc byte[132];
        preamble.Clear();
        "DICM"u8.CopyTo(preamble[128..]);
        destination.Write(preamble);
        DicomDatasetWriter.Write(destination, group, DicomTransferSyntax.ExplicitVRLittleEndian);
    }
}
