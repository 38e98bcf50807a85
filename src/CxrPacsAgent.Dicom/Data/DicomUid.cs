using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CxrPacsAgent.Dicom.Data;

/// <summary>UID syntax (PS3.5 9.1), generation (PS3.5 B.2) and the PS3.6 registry lookup.</summary>
public static class DicomUid
{
    /// <summary>The root of UUID-derived UIDs (PS3.5 B.2, ITU-T X.667).</summary>
    public const string UuidRoot = "2.25.";

    /// <summary>
    /// PS3.5 9.1: at most 64 characters of digits and dots; each component is non-empty and has no leading zero
    /// unless it is the single digit "0".
    /// </summary>
    public static bool IsValid(string? uid)
    {
        if (string.IsNullOrEmpty(uid) || uid.Length > 64)
        {
            return false;
        }
        var componentStart = 0;
        for (var i = 0; i <= uid.Length; i++)
        {
            if (i == uid.Length || uid[i] == '.')
            {
                var length = i - componentStart;
                if (length == 0 || (length > 1 && uid[componentStart] == '0'))
                {
                    return false;
                }
                componentStart = i + 1;
            }
            else if (!char.IsAsciiDigit(uid[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A new UID "2.25." + the decimal value of a random (version 4) UUID, at most 44 characters.</summary>
    public static string Generate()
    {
        // Guid's byte layout mixes endiannesses; big-endian bytes are the UUID in RFC 4122 (network) order.
        Span<byte> bytes = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(bytes, bigEndian: true, out _);
        var value = new UInt128(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        // UInt128's decimal form has no leading zeros, and a zero UUID still formats as "0" (a valid component).
        return UuidRoot + value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Finds a registered UID (PS3.6 Table A-1), e.g. a SOP class or transfer syntax.</summary>
    public static bool TryGetEntry(string uid, [MaybeNullWhen(false)] out DicomUidEntry entry)
    {
        ArgumentNullException.ThrowIfNull(uid);
        // Values read from data sets may keep their NUL padding (PS3.5 9.1).
        return Index.ByUid.TryGetValue(uid.TrimEnd('\0', ' '), out entry);
    }

    /// <summary>The registered name of a UID, or the UID itself when it is not in the registry.</summary>
    public static string GetName(string uid) =>
        TryGetEntry(uid, out var entry) && entry.Name.Length > 0 ? entry.Name : uid;

    // Built on first lookup, not on first use of IsValid or Generate.
    private static class Index
    {
        internal static readonly Dictionary<string, DicomUidEntry> ByUid =
            DicomUids.Registry.ToDictionary(e => e.Uid, StringComparer.Ordinal);
    }
}
