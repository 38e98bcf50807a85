namespace CxrPacsAgent.Dicom.Data;

/// <summary>A value representation with the encoding rules of PS3.5 6.2 (Table 6.2-1) and 7.1.2.</summary>
public sealed class DicomVR
{
    private DicomVR(string code, DicomVRKind kind, int maxLength, int unitSize, bool longLength, byte padding,
        bool charsetDependent = false, bool multiValued = true)
    {
        Code = code;
        Kind = kind;
        MaxLength = maxLength;
        UnitSize = unitSize;
        HasLongExplicitLength = longLength;
        PaddingByte = padding;
        UsesSpecificCharacterSet = charsetDependent;
        AllowsMultipleValues = multiValued;
        Code16 = (ushort)((code[0] << 8) | code[1]);
    }

    /// <summary>The two-character code, e.g. "PN".</summary>
    public string Code { get; }

    /// <summary>The code as the two bytes of the explicit VR field, big-endian in a ushort ('P' &lt;&lt; 8 | 'N').</summary>
    public ushort Code16 { get; }

    public DicomVRKind Kind { get; }

    /// <summary>Maximum length of one value: characters for text VRs, bytes for fixed binary ones; 0 if unbounded.</summary>
    public int MaxLength { get; }

    /// <summary>Size of one binary value (the byte-swapping unit for big endian); 1 for text and OB/UN.</summary>
    public int UnitSize { get; }

    /// <summary>Explicit VR encodings give this VR 2 reserved bytes and a 32-bit length (PS3.5 7.1.2).</summary>
    public bool HasLongExplicitLength { get; }

    /// <summary>The byte appended to make an odd-length value even (space for text, NUL for UI and binary).</summary>
    public byte PaddingByte { get; }

    /// <summary>Text whose bytes are decoded through Specific Character Set (0008,0005).</summary>
    public bool UsesSpecificCharacterSet { get; }

    /// <summary>Whether backslash separates several values (false for LT, ST, UT, UR).</summary>
    public bool AllowsMultipleValues { get; }

    public bool IsText => Kind == DicomVRKind.Text;

    public override string ToString() => Code;

    public static readonly DicomVR AE = new("AE", DicomVRKind.Text, 16, 1, false, 0x20);
    public static readonly DicomVR AS = new("AS", DicomVRKind.Text, 4, 1, false, 0x20);
    public static readonly DicomVR AT = new("AT", DicomVRKind.Tag, 4, 2, false, 0x00);
    public static readonly DicomVR CS = new("CS", DicomVRKind.Text, 16, 1, false, 0x20);
    public static readonly DicomVR DA = new("DA", DicomVRKind.Text, 18, 1, false, 0x20); // 8, or 18 for a range query
    public static readonly DicomVR DS = new("DS", DicomVRKind.Text, 16, 1, false, 0x20);
    public static readonly DicomVR DT = new("DT", DicomVRKind.Text, 54, 1, false, 0x20); // 26, or 54 for a range query
    public static readonly DicomVR FD = new("FD", DicomVRKind.Binary, 8, 8, false, 0x00);
    public static readonly DicomVR FL = new("FL", DicomVRKind.Binary, 4, 4, false, 0x00);
    public static readonly DicomVR IS = new("IS", DicomVRKind.Text, 12, 1, false, 0x20);
    public static readonly DicomVR LO = new("LO", DicomVRKind.Text, 64, 1, false, 0x20, charsetDependent: true);
    public static readonly DicomVR LT = new("LT", DicomVRKind.Text, 10240, 1, false, 0x20, charsetDependent: true, multiValued: false);
    public static readonly DicomVR OB = new("OB", DicomVRKind.Bulk, 0, 1, true, 0x00);
    public static readonly DicomVR OD = new("OD", DicomVRKind.Bulk, 0, 8, true, 0x00);
    public static readonly DicomVR OF = new("OF", DicomVRKind.Bulk, 0, 4, true, 0x00);
    public static readonly DicomVR OL = new("OL", DicomVRKind.Bulk, 0, 4, true, 0x00);
    public static readonly DicomVR OV = new("OV", DicomVRKind.Bulk, 0, 8, true, 0x00);
    public static readonly DicomVR OW = new("OW", DicomVRKind.Bulk, 0, 2, true, 0x00);
    public static readonly DicomVR PN = new("PN", DicomVRKind.Text, 64, 1, false, 0x20, charsetDependent: true);
    public static readonly DicomVR SH = new("SH", DicomVRKind.Text, 16, 1, false, 0x20, charsetDependent: true);
    public static readonly DicomVR SL = new("SL", DicomVRKind.Binary, 4, 4, false, 0x00);
    public static readonly DicomVR SQ = new("SQ", DicomVRKind.Sequence, 0, 1, true, 0x00);
    public static readonly DicomVR SS = new("SS", DicomVRKind.Binary, 2, 2, false, 0x00);
    public static readonly DicomVR ST = new("ST", DicomVRKind.Text, 1024, 1, false, 0x20, charsetDependent: true, multiValued: false);
    public static readonly DicomVR SV = new("SV", DicomVRKind.Binary, 8, 8, true, 0x00);
    public static readonly DicomVR TM = new("TM", DicomVRKind.Text, 28, 1, false, 0x20); // 14, or 28 for a range query
    public static readonly DicomVR UC = new("UC", DicomVRKind.Text, 0, 1, true, 0x20, charsetDependent: true);
    public static readonly DicomVR UI = new("UI", DicomVRKind.Text, 64, 1, false, 0x00);
    public static readonly DicomVR UL = new("UL", DicomVRKind.Binary, 4, 4, false, 0x00);
    public static readonly DicomVR UN = new("UN", DicomVRKind.Bulk, 0, 1, true, 0x00);
    public static readonly DicomVR UR = new("UR", DicomVRKind.Text, 0, 1, true, 0x20, multiValued: false);
    public static readonly DicomVR US = new("US", DicomVRKind.Binary, 2, 2, false, 0x00);
    public static readonly DicomVR UT = new("UT", DicomVRKind.Text, 0, 1, true, 0x20, charsetDependent: true, multiValued: false);
    public static readonly DicomVR UV = new("UV", DicomVRKind.Binary, 8, 8, true, 0x00);

    /// <summary>Every VR of PS3.5 Table 6.2-1.</summary>
    public static IReadOnlyList<DicomVR> All { get; } =
    [
        AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL,
        UN, UR, US, UT, UV,
    ];

    private static readonly Dictionary<ushort, DicomVR> ByCode16 = All.ToDictionary(v => v.Code16);

    /// <summary>Looks a VR up by its two code bytes as they appear in an explicit VR element header.</summary>
    public static bool TryGet(byte first, byte second, out DicomVR vr) =>
        ByCode16.TryGetValue((ushort)((first << 8) | second), out vr!);

    public static DicomVR Parse(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length == 2 && TryGet((byte)code[0], (byte)code[1], out var vr))
        {
            return vr;
        }
        throw new FormatException($"'{code}' is not a DICOM value representation.");
    }
}

/// <summary>How a VR's value is represented.</summary>
public enum DicomVRKind
{
    /// <summary>Character string (AE … UT).</summary>
    Text,
    /// <summary>Fixed-size binary numbers (FD FL SL SS SV UL US UV).</summary>
    Binary,
    /// <summary>Attribute tags (AT).</summary>
    Tag,
    /// <summary>Other-byte/word/… streams (OB OD OF OL OV OW UN).</summary>
    Bulk,
    /// <summary>Sequence of items (SQ).</summary>
    Sequence,
}
