namespace CxrPacsAgent.Dicom.Network.Acse;

/// <summary>Storage SOP classes (PS3.4 B.5): what an acceptor may take with <see cref="AcceptorPolicy.AcceptAnyStorageSopClass"/>.</summary>
public static class StorageSopClasses
{
    /// <summary>Every Storage SOP class UID lies under this root (PS3.6 Table A-1).</summary>
    public const string Root = "1.2.840.10008.5.1.4.1.1.";

    public static bool IsStorage(string sopClassUid) => sopClassUid.StartsWith(Root, StringComparison.Ordinal);

    /// <summary>A UID outside the DICOM root (1.2.840.10008.): a vendor's private SOP class.</summary>
    public static bool IsPrivate(string sopClassUid) =>
        sopClassUid.Length > 0 && !sopClassUid.StartsWith("1.2.840.10008.", StringComparison.Ordinal);
}
