namespace CxrPacsAgent.Dicom;

/// <summary>How this toolkit identifies itself in file meta information and association negotiation (PS3.7 D.3.3.2).</summary>
public static class DicomImplementation
{
    /// <summary>Fixed once, under the UUID-derived root 2.25 (PS3.5 B.2), so no registration is needed.</summary>
    public const string ClassUid = "2.25.144758780989449363692252775582703411351";

    /// <summary>At most 16 characters.</summary>
    public const string VersionName = "CXRPACSAGENT_01";
}
