using System.Buffers;
using System.Text;

namespace CxrPacsAgent.Dicom.Data.CharacterSets;

/// <summary>
/// Text in single-byte character sets, with or without ISO 2022 code extensions (PS3.5 6.1.2.5): G0 and G1 start as
/// the elements of value 1 of Specific Character Set, escape sequences designate others, and the initial elements
/// are active again after every value delimiter (PS3.5 6.1.2.5.3).
/// </summary>
internal sealed class Iso2022Codec
{
    private const byte Esc = 0x1B;
    private const char Replacement = '\uFFFD';

    private readonly CodeElement initialG0;
    private readonly CodeElement? initialG1;
    private readonly CodeElement decodingG1;
    private readonly CodeElement[] candidates;
    private readonly string description;

    /// <param name="termElements">Each term's elements, value 1 first.</param>
    /// <param name="description">The terms, for error messages.</param>
    public Iso2022Codec(IReadOnlyList<CodeElement[]> termElements, string description)
    {
        var first = termElements[0];
        // Value 1 normally is a single-byte set; a multi-byte G0 set there (IR 87, IR 159) cannot be active at the
        // start of a value, but a multi-byte G1 set (IR 149, IR 58) can, as in 8-bit EUC text without escapes.
        initialG0 = Array.Find(first, e => e.Set == GraphicSet.G0 && e.Width == 1) ?? CodeElements.Ascii;
        initialG1 = Array.Find(first, e => e.Set == GraphicSet.G1);
        // Bytes 80-FF with no G1 set are not defined; read them as Latin-1, the usual undeclared set (as pydicom).
        decodingG1 = initialG1 ?? CodeElements.Latin1;
        candidates = termElements.SelectMany(e => e).Distinct().ToArray();
        this.description = description;
    }

    /// <summary>
    /// Escape sequences of PS3.3 Tables C.12-3/C.12-4 take effect even if their term was not declared, as their
    /// meaning is unambiguous. Unknown or truncated escape sequences, undefined codes and a lone first byte of a
    /// two-byte code each decode to U+FFFD; the bytes after are read as usual.
    /// </summary>
    public string Decode(ReadOnlySpan<byte> bytes, DicomVR vr)
    {
        // The common case, the default repertoire or Latin-1 without escapes, needs no state.
        if (decodingG1 == CodeElements.Latin1 && !bytes.Contains(Esc))
        {
            return Encoding.Latin1.GetString(bytes);
        }
        // Never more characters than bytes: a code is at least one byte, an escape sequence yields at most one.
        char[]? rented = null;
        Span<char> output = bytes.Length <= 256
            ? stackalloc char[256]
            : (rented = ArrayPool<char>.Shared.Rent(bytes.Length));
        var g0 = initialG0;
        var g1 = decodingG1;
        var count = 0;
        var i = 0;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            if (b == Esc)
            {
                var element = CodeElements.MatchEscape(bytes[i..]);
                if (element is null)
                {
                    output[count++] = Replacement;
                    i++;
                }
                else if (element.Set == GraphicSet.G0)
                {
                    g0 = element;
                    i += element.Escape.Length;
                }
                else
                {
                    g1 = element;
                    i += element.Escape.Length;
                }
                continue;
            }
            var active = b >= 0x80 ? g1 : g0;
            if (active.Width == 2 && IsDoubleByte(b, active))
            {
                var complete = i + 1 < bytes.Length && IsDoubleByte(bytes[i + 1], active);
                output[count++] = complete ? active.Decode(b, bytes[i + 1]) ?? Replacement : Replacement;
                i += complete ? 2 : 1;
                continue;
            }
            // Controls, space and DEL pass through whatever G0 holds; other bytes of a two-byte G1 set are invalid.
            output[count++] = active.Width == 1 ? active.Decode(b) ?? Replacement : b < 0x80 ? (char)b : Replacement;
            if (IsDelimiter(b, vr))
            {
                g0 = initialG0;
                g1 = decodingG1;
            }
            i++;
        }
        var text = new string(output[..count]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
        return text;
    }

    /// <summary>
    /// Keeps the active elements while they can represent the text; otherwise designates the first element, in term
    /// order, that can, and returns to the initial elements before every delimiter and at the end (PS3.5 6.1.2.5.3).
    /// </summary>
    /// <exception cref="DicomCharacterSetException">A character that no declared element represents, or ESC.</exception>
    public byte[] Encode(string text, DicomVR vr)
    {
        var output = new ArrayBufferWriter<byte>(text.Length + 8);
        var g0 = initialG0;
        var g1 = initialG1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == Esc)
            {
                throw Unencodable(text, i);
            }
            if (c < 0x80 && IsDelimiter((byte)c, vr))
            {
                ReturnToInitial(output, ref g0, ref g1);
                Write(output, c);
                continue;
            }
            if (g0.TryEncode(c, out var code))
            {
                Write(output, code);
                continue;
            }
            if (g1 is not null && g1.TryEncode(c, out code))
            {
                EnsureSingleByteG0(output, ref g0);
                Write(output, code);
                continue;
            }
            var element = FindCandidate(c, out code) ?? throw Unencodable(text, i);
            if (element.Set == GraphicSet.G0)
            {
                g0 = element;
            }
            else
            {
                EnsureSingleByteG0(output, ref g0);
                g1 = element;
            }
            output.Write(element.Escape);
            Write(output, code);
        }
        ReturnToInitial(output, ref g0, ref g1);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Delimiters of PS3.5 6.1.2.5.3: any control but ESC (CR, LF, FF, TAB …), the backslash between values of a
    /// multi-valued VR, and the PN component and group separators. Bytes of a two-byte G0 code are never delimiters.
    /// </summary>
    private static bool IsDelimiter(byte b, DicomVR vr) =>
        (b < 0x20 && b != Esc)
        || (b == (byte)'\\' && vr.AllowsMultipleValues)
        || (ReferenceEquals(vr, DicomVR.PN) && b is (byte)'^' or (byte)'=');

    private CodeElement? FindCandidate(char c, out ushort code)
    {
        foreach (var element in candidates)
        {
            if (element.TryEncode(c, out code))
            {
                return element;
            }
        }
        code = 0;
        return null;
    }

    private static bool IsDoubleByte(byte b, CodeElement element) =>
        element.Set == GraphicSet.G0 ? b is >= 0x21 and <= 0x7E : b is >= 0xA1 and <= 0xFE;

    private void ReturnToInitial(ArrayBufferWriter<byte> output, ref CodeElement g0, ref CodeElement? g1)
    {
        if (g0 != initialG0)
        {
            output.Write(initialG0.Escape);
            g0 = initialG0;
        }
        // With no initial G1 there is nothing to designate; decoders drop G1 at the delimiter all the same.
        if (g1 != initialG1 && initialG1 is not null)
        {
            output.Write(initialG1.Escape);
        }
        g1 = initialG1;
    }

    // A G1 code right after a two-byte G0 run is valid ISO 2022, but decoders that split text at escape sequences and
    // read each run with one codec (pydicom) fail on it; leaving G0 first costs three bytes.
    private void EnsureSingleByteG0(ArrayBufferWriter<byte> output, ref CodeElement g0)
    {
        if (g0.Width == 2)
        {
            output.Write(initialG0.Escape);
            g0 = initialG0;
        }
    }

    private static void Write(ArrayBufferWriter<byte> output, int code)
    {
        if (code > 0xFF)
        {
            output.Write([(byte)(code >> 8), (byte)code]);
        }
        else
        {
            output.Write([(byte)code]);
        }
    }

    private DicomCharacterSetException Unencodable(string text, int index) =>
        new($"U+{(int)text[index]:X4} at index {index} cannot be encoded with Specific Character Set '{description}'.");
}
