namespace CxrPacsAgent.Dicom.Data.CharacterSets;

/// <summary>
/// The code elements of PS3.3 Tables C.12-2 to C.12-4 with their escape sequences, and which elements each ISO-IR
/// number of a defined term designates. Each table was checked code by code against Python's codecs, which pydicom
/// uses; the overrides are where the .NET code page is older or a vendor superset.
/// </summary>
internal static class CodeElements
{
    private const byte Esc = 0x1B;

    public static readonly CodeElement Ascii = CodeElement.AsciiLike("ISO-IR 6", [Esc, (byte)'(', (byte)'B']);
    public static readonly CodeElement JisRoman = CodeElement.AsciiLike("ISO-IR 14", [Esc, (byte)'(', (byte)'J']);

    public static readonly CodeElement Katakana = CodeElement.SingleByte("ISO-IR 13", [Esc, (byte)')', (byte)'I'], () =>
    {
        // JIS X 0201 katakana A1-DF are the half-width forms U+FF61-U+FF9F, in order.
        var chars = new char[128];
        for (var b = 0xA1; b <= 0xDF; b++)
        {
            chars[b - 0x80] = (char)(0xFF61 + (b - 0xA1));
        }
        return chars;
    });

    public static readonly CodeElement Latin1 = Iso8859("ISO-IR 100", 'A', 28591);
    public static readonly CodeElement Latin2 = Iso8859("ISO-IR 101", 'B', 28592);
    public static readonly CodeElement Latin3 = Iso8859("ISO-IR 109", 'C', 28593);
    public static readonly CodeElement Latin4 = Iso8859("ISO-IR 110", 'D', 28594);
    public static readonly CodeElement Cyrillic = Iso8859("ISO-IR 144", 'L', 28595);
    public static readonly CodeElement Arabic = Iso8859("ISO-IR 127", 'G', 28596);

    // The code page is ISO 8859-7:1987; the 2003 edition (Python's) has quotes at A1/A2 and adds A4, A5, AA.
    public static readonly CodeElement Greek = Iso8859("ISO-IR 126", 'F', 28597,
        (0xA1, '\u2018'), (0xA2, '\u2019'), (0xA4, '\u20AC'), (0xA5, '\u20AF'), (0xAA, '\u037A'));

    // The code page has the 1988 overline at AF and lacks the LRM/RLM marks of the 1999 edition.
    public static readonly CodeElement Hebrew = Iso8859("ISO-IR 138", 'H', 28598,
        (0xAF, '\u00AF'), (0xFD, '\u200E'), (0xFE, '\u200F'));

    public static readonly CodeElement Latin5 = Iso8859("ISO-IR 148", 'M', 28599);

    // TIS 620 via Windows-874, less Windows' additions: 80-9F are the C1 controls as in ISO 8859, A0 is unassigned.
    public static readonly CodeElement Thai = CodeElement.SingleByte("ISO-IR 166", [Esc, (byte)'-', (byte)'T'], () =>
    {
        var chars = CodeElement.SingleByteTable(874, (0xA0, '\0'));
        for (var b = 0x80; b <= 0x9F; b++)
        {
            chars[b - 0x80] = (char)b;
        }
        return chars;
    });

    // EUC-JP code page 20932, less row 0x2D (NEC special characters, not in JIS X 0208).
    public static readonly CodeElement JisX0208 = CodeElement.DoubleByte("ISO-IR 87", [Esc, (byte)'$', (byte)'B'],
        GraphicSet.G0, () => CodeElement.DoubleByteTable(20932, trailHighBit: true, inSet: row => row != 0x2D));

    // Code page 20932 puts JIS X 0212 at lead | 80, bare trail; less its rows from 0x6E (IBM extensions; the set
    // ends at row 0x6D). It lacks the standard mappings of 2237 (tilde) and 2271 (numero sign).
    public static readonly CodeElement JisX0212 = CodeElement.DoubleByte("ISO-IR 159",
        [Esc, (byte)'$', (byte)'(', (byte)'D'], GraphicSet.G0,
        () => CodeElement.DoubleByteTable(20932, trailHighBit: false, inSet: row => row < 0x6E,
            (0x2237, '~'), (0x2271, '\u2116')));

    // Code page 949 (UHC) restricted to A1-FE x A1-FE is KS X 1001 (51949 maps B4D3 wrongly). 2454, the Hangul
    // filler, only starts 8-byte syllable compositions, which Python does not read as a character either.
    public static readonly CodeElement KsX1001 = CodeElement.DoubleByte("ISO-IR 149",
        [Esc, (byte)'$', (byte)')', (byte)'C'], GraphicSet.G1,
        () => CodeElement.DoubleByteTable(949, trailHighBit: true, inSet: _ => true, (0x2454, '\0')));

    // Code page 20936 is GB 2312 but lacks 212C, the double vertical line.
    public static readonly CodeElement Gb2312 = CodeElement.DoubleByte("ISO-IR 58",
        [Esc, (byte)'$', (byte)')', (byte)'A'], GraphicSet.G1,
        () => CodeElement.DoubleByteTable(20936, trailHighBit: true, inSet: _ => true, (0x212C, '\u2016')));

    private static readonly CodeElement[] WithEscapes =
    [
        Ascii, JisRoman, Katakana, Latin1, Latin2, Latin3, Latin4, Cyrillic, Arabic, Greek, Hebrew, Latin5, Thai,
        JisX0208, JisX0212, KsX1001, Gb2312,
    ];

    /// <summary>The element whose escape sequence starts <paramref name="bytes"/> (which start with ESC), or null
    /// for an unknown or truncated sequence.</summary>
    public static CodeElement? MatchEscape(ReadOnlySpan<byte> bytes)
    {
        foreach (var element in WithEscapes)
        {
            if (bytes.StartsWith(element.Escape))
            {
                return element;
            }
        }
        return null;
    }

    /// <summary>
    /// The elements that "ISO_IR n" or "ISO 2022 IR n" designates, G0 before G1 (PS3.3 Tables C.12-2 to C.12-4).
    /// The multi-byte sets exist only with code extensions.
    /// </summary>
    public static CodeElement[]? ForIsoIr(int number, bool codeExtensions) => number switch
    {
        6 => [Ascii],
        100 => [Ascii, Latin1],
        101 => [Ascii, Latin2],
        109 => [Ascii, Latin3],
        110 => [Ascii, Latin4],
        144 => [Ascii, Cyrillic],
        127 => [Ascii, Arabic],
        126 => [Ascii, Greek],
        138 => [Ascii, Hebrew],
        148 => [Ascii, Latin5],
        166 => [Ascii, Thai],
        13 => [JisRoman, Katakana],
        87 when codeExtensions => [JisX0208],
        159 when codeExtensions => [JisX0212],
        149 when codeExtensions => [KsX1001],
        58 when codeExtensions => [Gb2312],
        _ => null,
    };

    private static CodeElement Iso8859(string name, char final, int codePage,
        params (int Code, char Char)[] overrides) =>
        CodeElement.SingleByte(name, [Esc, (byte)'-', (byte)final],
            () => CodeElement.SingleByteTable(codePage, overrides));
}
