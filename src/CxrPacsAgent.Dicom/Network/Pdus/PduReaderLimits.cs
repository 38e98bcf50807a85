namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>
/// Largest PDU-length values accepted before a PDU's body is even waited for, so a hostile length such as FFFFFFFFH is
/// refused at its header.
/// </summary>
/// <param name="MaxPDataLength">The Maximum Length we announced (PS3.8 D.1), which bounds P-DATA-TF PDUs.</param>
/// <param name="MaxAssociateLength">Bound for A-ASSOCIATE-RQ/AC, whose size the standard leaves open.</param>
public readonly record struct PduReaderLimits(uint MaxPDataLength, uint MaxAssociateLength)
{
    /// <summary>Limits for an association that announced <paramref name="maxPDataLength"/>.</summary>
    public static PduReaderLimits For(uint maxPDataLength) => new(maxPDataLength, DefaultMaxAssociateLength);

    /// <summary>
    /// Room for 128 presentation contexts with role selections and a SAML assertion or JWT user identity of tens of
    /// KiB; real requests are a few KiB.
    /// </summary>
    public const uint DefaultMaxAssociateLength = 64 * 1024;
}
