using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CxrPacsAgent.Worker.Retrieval;

/// <summary>
/// UIDs for files that have none (research pictures): "2.25." and the decimal value of a name-based UUID (RFC 9562
/// version 8, SHA-256 of the kind and name), PS3.5 B.2. The same name always gives the same UID.
/// </summary>
internal static class NameBasedUid
{
    public static string From(string kind, string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"cxr-agent/{kind}/{name}"), hash);
        var uuid = hash[..16];
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x80); // version 8
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80); // RFC 9562 variant
        var value = new UInt128(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(uuid),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(uuid[8..]));
        return "2.25." + value.ToString(CultureInfo.InvariantCulture);
    }
}
