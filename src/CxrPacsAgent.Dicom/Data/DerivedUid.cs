using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CxrPacsAgent.Dicom.Data;

/// <summary>
/// UIDs derived from names (PS3.5 B.2 with a name-based, version 5 UUID of RFC 4122 4.3): the same namespace and name
/// always give the same UID, so an object made again from the same inputs (a retry) replaces itself instead of
/// appearing twice.
/// </summary>
public static class DerivedUid
{
    /// <summary>"2.25." + the decimal value of the version 5 UUID of <paramref name="parts"/> joined by NUL in <paramref name="namespaceId"/>.</summary>
    /// <remarks>NUL cannot occur in UIDs or in names read from DICOM text, so different part lists never join to the same name.</remarks>
    public static string FromName(Guid namespaceId, params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0 || parts.Any(p => p is null))
        {
            throw new ArgumentException("at least one non-null name part is needed", nameof(parts));
        }
        var name = Encoding.UTF8.GetBytes(string.Join('\0', parts));
        var input = new byte[16 + name.Length];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // RFC 4122 version 5 is defined on SHA-1; it names, it does not protect.
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        var value = new UInt128(BinaryPrimitives.ReadUInt64BigEndian(hash), BinaryPrimitives.ReadUInt64BigEndian(hash[8..]));
        return DicomUid.UuidRoot + value.ToString(CultureInfo.InvariantCulture);
    }
}
