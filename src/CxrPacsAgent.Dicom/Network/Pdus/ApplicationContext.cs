namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>Application context names (PS3.7 A.2.1).</summary>
public static class ApplicationContext
{
    /// <summary>The DICOM Application Context Name, the only one defined.</summary>
    public const string Dicom = "1.2.840.10008.3.1.1.1";
}
