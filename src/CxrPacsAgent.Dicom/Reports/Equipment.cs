using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Reports;

/// <summary>
/// The equipment that made an instance (General and Enhanced General Equipment modules, PS3.3 C.7.5.1, C.7.5.2), or
/// that contributed to it (an item of Contributing Equipment Sequence, C.12.1), e.g. an algorithm.
/// </summary>
/// <param name="Manufacturer">Manufacturer (0008,0070).</param>
/// <param name="ModelName">Manufacturer's Model Name (0008,1090).</param>
/// <param name="SoftwareVersions">Software Versions (0018,1020).</param>
/// <param name="DeviceSerialNumber">Device Serial Number (0018,1000); Type 1 in Enhanced General Equipment, so give it for the instance's own equipment.</param>
/// <param name="DeviceUid">Device UID (0018,1002).</param>
/// <param name="InstitutionName">Institution Name (0008,0080), if known.</param>
/// <param name="StationName">Station Name (0008,1010), if known.</param>
public sealed record Equipment(string Manufacturer, string ModelName, string SoftwareVersions, string? DeviceSerialNumber,
    string? DeviceUid = null, string? InstitutionName = null, string? StationName = null)
{
    /// <summary>General Equipment plus the Type 1 attributes of Enhanced General Equipment, which SR and SC IODs share.</summary>
    public void WriteTo(DicomDataset ds)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ds.AddOrUpdate(DicomTags.Manufacturer, Manufacturer);
        ds.AddOrUpdate(DicomTags.ManufacturerModelName, ModelName);
        ds.AddOrUpdate(DicomTags.SoftwareVersions, SoftwareVersions);
        if (DeviceSerialNumber is not null)
        {
            ds.AddOrUpdate(DicomTags.DeviceSerialNumber, DeviceSerialNumber);
        }
        if (DeviceUid is not null)
        {
            ds.AddOrUpdate(DicomTags.DeviceUID, DeviceUid);
        }
        if (InstitutionName is not null)
        {
            ds.AddOrUpdate(DicomTags.InstitutionName, InstitutionName);
        }
        if (StationName is not null)
        {
            ds.AddOrUpdate(DicomTags.StationName, StationName);
        }
    }
}

/// <summary>An item of Contributing Equipment Sequence (0018,A001) of the SOP Common module.</summary>
/// <param name="Purpose">Purpose of Reference Code Sequence (CID 7005), e.g. (109102, DCM, "Processing Equipment").</param>
/// <param name="Equipment">Who made it and which version.</param>
/// <param name="ContributionDateTime">Contribution DateTime (0018,A002), if known.</param>
/// <param name="ContributionDescription">Contribution Description (0018,A003), if any.</param>
public sealed record ContributingEquipment(CodedConcept Purpose, Equipment Equipment, DateTimeOffset? ContributionDateTime = null,
    string? ContributionDescription = null)
{
    public static void Write(DicomDataset ds, IReadOnlyList<ContributingEquipment> items)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return;
        }
        var sequence = ds.AddSequence(DicomTags.ContributingEquipmentSequence);
        foreach (var contribution in items)
        {
            var item = new DicomDataset();
            sequence.Items.Add(item);
            ContentTreeWriter.AddCode(item, DicomTags.PurposeOfReferenceCodeSequence, contribution.Purpose);
            contribution.Equipment.WriteTo(item);
            if (contribution.ContributionDateTime is { } when)
            {
                item.AddOrUpdate(DicomTags.ContributionDateTime, DicomDateTimes.DateTime(when));
            }
            if (contribution.ContributionDescription is { } description)
            {
                item.AddOrUpdate(DicomTags.ContributionDescription, description);
            }
        }
    }
}
