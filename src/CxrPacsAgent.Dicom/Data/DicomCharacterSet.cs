using System.Globalization;
using System.Text;
using CxrPacsAgent.Dicom.Data.CharacterSets;

namespace CxrPacsAgent.Dicom.Data;

/// <summary>
/// The character set that Specific Character Set (0008,0005) declares (PS3.3 C.12.1.1.2, PS3.5 6.1 and Annexes H to
/// J): decodes and encodes values of the VRs that use it (SH, LO, UC, ST, LT, UT, PN). Other VRs always use the
/// default repertoire (PS3.5 6.1.2.3). Immutable and thread-safe.
/// </summary>
public sealed class DicomCharacterSet
{
    private static readonly UTF8Encoding Utf8Decoder = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private static readonly UTF8Encoding Utf8Encoder = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Lazy<Encoding> Gb18030 = new(() => CodePages.GetReplacingDecoder(54936));
    private static readonly Lazy<Encoding> Gbk = new(() => CodePages.GetReplacingDecoder(936));

    // Exactly one of iso2022 and the stand-alone pair is set.
    private readonly Iso2022Codec? iso2022;
    private readonly Encoding? decoder;
    private readonly Encoding? encoder;

    private DicomCharacterSet(string[] terms, Iso2022Codec? iso2022, Encoding? decoder, Encoding? encoder, bool isDefault)
    {
        Terms = Array.AsReadOnly(terms);
        this.iso2022 = iso2022;
        this.decoder = decoder;
        this.encoder = encoder;
        IsDefault = isDefault;
    }

    /// <summary>The default repertoire, ISO-IR 6 (ASCII), used when (0008,0005) is absent or empty.</summary>
    public static DicomCharacterSet Default { get; } =
        new([], new Iso2022Codec([[CodeElements.Ascii]], ""), null, null, isDefault: true);

    /// <summary>The values of (0008,0005) as given; empty for <see cref="Default"/>.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>Whether the set is just the default repertoire (e.g. no terms, "" or "ISO 2022 IR 6").</summary>
    public bool IsDefault { get; }

    /// <summary>
    /// Parses the values of (0008,0005). Terms are matched ignoring case, surrounding spaces and '_'/'-'/' '
    /// confusion ("ISO IR 100", "ISO-2022-IR 87"), common misspellings that pydicom also accepts. As in pydicom, terms
    /// after ISO_IR 192, GB18030 or GBK (which forbid code extensions, PS3.5 6.1.2.5.4) and those three as a later
    /// value are ignored.
    /// </summary>
    /// <exception cref="DicomCharacterSetException">A term that is not a defined term; <see
    /// cref="DicomCharacterSetException.Term"/> names it.</exception>
    public static DicomCharacterSet FromTerms(IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0)
        {
            return Default;
        }
        var given = terms.Select(t => t ?? "").ToArray();
        var normalized = given.Select(Normalize).ToArray();
        var codeExtensions = given.Length > 1 || normalized.Any(t => t.StartsWith("ISO 2022 ", StringComparison.Ordinal));

        var elements = new List<CodeElement[]>(given.Length);
        for (var i = 0; i < given.Length; i++)
        {
            if (StandAlone(normalized[i]) is { } standAlone)
            {
                if (i == 0)
                {
                    ValidateRest(given, normalized, codeExtensions);
                    return new DicomCharacterSet(given, null, standAlone.Decoder, standAlone.Encoder, isDefault: false);
                }
                continue;
            }
            elements.Add(ElementsOf(normalized[i], codeExtensions)
                ?? throw new DicomCharacterSetException($"Unknown Specific Character Set term '{given[i]}'.", given[i]));
        }
        var isDefault = elements.TrueForAll(e => e is [var only] && only == CodeElements.Ascii);
        return new DicomCharacterSet(given, new Iso2022Codec(elements, string.Join('\\', given)), null, null, isDefault);
    }

    /// <summary>
    /// Decodes a whole value, several values separated by backslashes included; padding is kept. Never throws for
    /// malformed input: undefined codes, a truncated two-byte code, an unknown or truncated escape sequence and bytes
    /// invalid in UTF-8/GB18030/GBK each become U+FFFD. Bytes 80-FF where no G1 set is declared (the default
    /// repertoire) are read as ISO 8859-1, as pydicom does, since undeclared Latin-1 is common.
    /// </summary>
    public string Decode(ReadOnlySpan<byte> value, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(vr);
        if (!vr.UsesSpecificCharacterSet && !IsDefault)
        {
            return Default.Decode(value, vr);
        }
        return decoder is not null ? decoder.GetString(value) : iso2022!.Decode(value, vr);
    }

    /// <summary>
    /// Encodes text for a value of <paramref name="vr"/>, without padding. With code extensions, escape sequences
    /// designate the first declared set that has each character, and the initial sets are restored before each
    /// delimiter and at the end (PS3.5 6.1.2.5.3).
    /// </summary>
    /// <exception cref="DicomCharacterSetException">A character the declared sets cannot represent (text is never
    /// silently replaced), or ESC with a single-byte or ISO 2022 set.</exception>
    public byte[] Encode(string text, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(vr);
        if (!vr.UsesSpecificCharacterSet && !IsDefault)
        {
            return Default.Encode(text, vr);
        }
        if (encoder is null)
        {
            return iso2022!.Encode(text, vr);
        }
        try
        {
            return encoder.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new DicomCharacterSetException(
                $"U+{(int)e.CharUnknown:X4} at index {e.Index} cannot be encoded with Specific Character Set '{this}'.", e);
        }
    }

    public override string ToString() => string.Join('\\', Terms);

    // "iso_ir 100 " -> "ISO IR 100", "ISO-2022-IR 87" -> "ISO 2022 IR 87".
    private static string Normalize(string term) =>
        string.Join(' ', term.ToUpperInvariant().Replace('_', ' ').Replace('-', ' ')
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static CodeElement[]? ElementsOf(string term, bool codeExtensions)
    {
        if (term.Length == 0)
        {
            return [CodeElements.Ascii];
        }
        var (number, extension) = term.StartsWith("ISO 2022 IR ", StringComparison.Ordinal) ? (term[12..], true)
            : term.StartsWith("ISO IR ", StringComparison.Ordinal) ? (term[7..], false)
            : ("", false);
        return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? CodeElements.ForIsoIr(n, extension && codeExtensions)
            : null;
    }

    private static (Encoding Decoder, Encoding Encoder)? StandAlone(string term) => term switch
    {
        "ISO IR 192" => (Utf8Decoder, Utf8Encoder),
        "GB18030" => (Gb18030.Value, Gb18030.Value),
        "GBK" => (Gbk.Value, Gbk.Value),
        _ => null,
    };

    // Ignored terms must still be defined terms, so that a typo is reported rather than silently dropped.
    private static void ValidateRest(string[] given, string[] normalized, bool codeExtensions)
    {
        for (var i = 1; i < given.Length; i++)
        {
            if (StandAlone(normalized[i]) is null && ElementsOf(normalized[i], codeExtensions) is null)
            {
                throw new DicomCharacterSetException($"Unknown Specific Character Set term '{given[i]}'.", given[i]);
            }
        }
    }
}
