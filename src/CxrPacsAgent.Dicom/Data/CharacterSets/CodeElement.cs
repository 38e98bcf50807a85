using System.Text;

namespace CxrPacsAgent.Dicom.Data.CharacterSets;

/// <summary>The ISO 2022 graphic set an element is designated to: G0 holds bytes 21-7E, G1 holds bytes A0-FF.</summary>
internal enum GraphicSet
{
    G0,
    G1,
}

/// <summary>
/// One code element of PS3.3 Tables C.12-2 to C.12-4: a coded character set that an escape sequence designates
/// to G0 or G1, one or two bytes a character. Its mapping is a table built once, on first use, from a .NET code page.
/// </summary>
internal sealed class CodeElement
{
    /// <summary>Marks an unmapped code in a table; no element maps a code to U+0000.</summary>
    private const char Unmapped = '\0';

    // Single-byte G1: 128 entries for 80-FF. Double-byte: 94 x 94 entries for rows/cells 21-7E. Null: G0 "ASCII".
    private readonly Lazy<char[]>? table;
    private readonly Lazy<Dictionary<char, ushort>>? reverse;

    private CodeElement(string name, byte[] escape, GraphicSet set, int width, Func<char[]>? buildTable)
    {
        Name = name;
        Escape = escape;
        Set = set;
        Width = width;
        if (buildTable is not null)
        {
            table = new Lazy<char[]>(buildTable);
            reverse = new Lazy<Dictionary<char, ushort>>(BuildReverse);
        }
    }

    /// <summary>The ISO-IR registration, e.g. "ISO-IR 87".</summary>
    public string Name { get; }

    /// <summary>The escape sequence that designates this element (PS3.3 Tables C.12-3 and C.12-4).</summary>
    public byte[] Escape { get; }

    public GraphicSet Set { get; }

    /// <summary>Bytes a character: 1 or 2.</summary>
    public int Width { get; }

    public override string ToString() => Name;

    /// <summary>A G0 set read as ASCII: ISO-IR 6, and ISO-IR 14 (JIS X 0201 Romaji) as pydicom and Python's
    /// shift_jis read it, so that 5C stays the backslash delimiter and 7E the tilde.</summary>
    public static CodeElement AsciiLike(string name, byte[] escape) => new(name, escape, GraphicSet.G0, 1, null);

    public static CodeElement SingleByte(string name, byte[] escape, Func<char[]> buildTable) =>
        new(name, escape, GraphicSet.G1, 1, buildTable);

    public static CodeElement DoubleByte(string name, byte[] escape, GraphicSet set, Func<char[]> buildTable) =>
        new(name, escape, set, 2, buildTable);

    /// <summary>Maps one byte: 00-7F for a G0 set, 80-FF for a G1 set; null if unmapped.</summary>
    public char? Decode(byte code)
    {
        if (table is null)
        {
            return code < 0x80 ? (char)code : null;
        }
        var c = code >= 0x80 ? table.Value[code - 0x80] : Unmapped;
        return c == Unmapped ? null : c;
    }

    /// <summary>Maps a two-byte code; the high bits of either byte are ignored. Null if unmapped.</summary>
    public char? Decode(byte first, byte second)
    {
        var c = table!.Value[(((first & 0x7F) - 0x21) * 94) + ((second & 0x7F) - 0x21)];
        return c == Unmapped ? null : c;
    }

    /// <summary>The code of <paramref name="c"/> in this element as written: one byte, or two bytes big-endian
    /// with the high bits set for a G1 set.</summary>
    public bool TryEncode(char c, out ushort code)
    {
        if (reverse is null)
        {
            code = c;
            return c < 0x80;
        }
        return reverse.Value.TryGetValue(c, out code);
    }

    private Dictionary<char, ushort> BuildReverse()
    {
        var chars = table!.Value;
        var map = new Dictionary<char, ushort>(chars.Length);
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] == Unmapped)
            {
                continue;
            }
            var code = Width == 1
                ? (ushort)(0x80 + i)
                : (ushort)((((i / 94) + 0x21) << 8) | ((i % 94) + 0x21) | (Set == GraphicSet.G1 ? 0x8080 : 0));
            map.TryAdd(chars[i], code); // the first code wins where a code page maps two codes to one character
        }
        return map;
    }

    /// <summary>
    /// Builds a 128-entry table for bytes 80-FF from a code page. Overrides patch the code page where it differs from
    /// the registered set (and from pydicom, which uses Python's tables); U+0000 in an override removes a code.
    /// </summary>
    public static char[] SingleByteTable(int codePage, params ReadOnlySpan<(int Code, char Char)> overrides)
    {
        var encoding = CodePages.Get(codePage);
        var chars = new char[128];
        for (var b = 0x80; b <= 0xFF; b++)
        {
            chars[b - 0x80] = DecodeOne(encoding, [(byte)b]);
        }
        foreach (var (code, c) in overrides)
        {
            chars[code - 0x80] = c;
        }
        return chars;
    }

    /// <summary>
    /// Builds a 94 x 94 table from an EUC-style double-byte code page: row and cell 21-7E are read as lead | 80 and
    /// trail | 80 (or the bare trail when <paramref name="trailHighBit"/> is false). Rows for which
    /// <paramref name="inSet"/> is false (vendor extensions, not part of the set) stay unmapped; overrides as in
    /// <see cref="SingleByteTable"/>.
    /// </summary>
    public static char[] DoubleByteTable(
        int codePage, bool trailHighBit, Func<int, bool> inSet, params ReadOnlySpan<(int Code, char Char)> overrides)
    {
        var encoding = CodePages.Get(codePage);
        var chars = new char[94 * 94];
        for (var row = 0x21; row <= 0x7E; row++)
        {
            if (!inSet(row))
            {
                continue;
            }
            for (var cell = 0x21; cell <= 0x7E; cell++)
            {
                ReadOnlySpan<byte> bytes = [(byte)(row | 0x80), (byte)(trailHighBit ? cell | 0x80 : cell)];
                chars[((row - 0x21) * 94) + (cell - 0x21)] = DecodeOne(encoding, bytes);
            }
        }
        foreach (var (code, c) in overrides)
        {
            chars[(((code >> 8) - 0x21) * 94) + ((code & 0xFF) - 0x21)] = c;
        }
        return chars;
    }

    // One character, or Unmapped: code pages map their user-defined areas to the Private Use Area, which no
    // registered set (nor pydicom) has, so those count as unmapped too.
    private static char DecodeOne(Encoding encoding, ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[4];
        int count;
        try
        {
            count = encoding.GetChars(bytes, chars);
        }
        catch (DecoderFallbackException)
        {
            return Unmapped;
        }
        return count == 1 && chars[0] is not (>= '\uE000' and <= '\uF8FF') ? chars[0] : Unmapped;
    }
}

/// <summary>.NET's code pages beyond UTF-8/Latin-1 come from CodePagesEncodingProvider, registered once here.</summary>
internal static class CodePages
{
    private static readonly bool Registered = Register();

    /// <summary>A code page that throws on unmappable input; callers decide what replaces it.</summary>
    public static Encoding Get(int codePage)
    {
        _ = Registered;
        return Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    /// <summary>A code page whose decoder writes U+FFFD for invalid bytes and whose encoder throws.</summary>
    public static Encoding GetReplacingDecoder(int codePage)
    {
        _ = Registered;
        return Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, new DecoderReplacementFallback("\uFFFD"));
    }

    private static bool Register()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return true;
    }
}
