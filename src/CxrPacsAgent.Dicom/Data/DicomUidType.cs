namespace CxrPacsAgent.Dicom.Data;

/// <summary>The UID Type column of PS3.6 Table A-1.</summary>
public enum DicomUidType
{
    Other,
    SopClass,
    MetaSopClass,
    TransferSyntax,
    WellKnownSopInstance,
    ApplicationContextName,
    ServiceClass,
    CodingScheme,
    ApplicationHostingModel,
    MappingResource,
    LdapOid,
    SynchronizationFrameOfReference,
    WellKnownFrameOfReference,
}

/// <summary>A registered UID of PS3.6 Table A-1 (and where the machine-readable source has them).</summary>
public sealed record DicomUidEntry(string Uid, string Name, string Keyword, DicomUidType Type, bool IsRetired);
