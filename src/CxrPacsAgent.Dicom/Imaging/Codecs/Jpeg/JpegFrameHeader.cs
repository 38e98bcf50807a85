namespace CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;

/// <summary>One component of a frame header (T.81 B.2.2): identifier, sampling factors and quantization table.</summary>
internal sealed record JpegComponent(int Id, int H, int V, int QuantizationTable)
{
    /// <summary>Decoded samples, one plane per component, sized to whole blocks (DCT) or exactly (lossless).</summary>
    public int[] Plane { get; set; } = [];

    public int PlaneWidth { get; set; }

    public int PlaneHeight { get; set; }

    /// <summary>DC predictor of the DCT process (T.81 F.2.1.3.1), reset at each scan and restart.</summary>
    public int DcPredictor { get; set; }
}

/// <summary>A frame header SOFn (T.81 B.2.2).</summary>
internal sealed record JpegFrameHeader(int Marker, int Precision, int Lines, int SamplesPerLine, JpegComponent[] Components)
{
    public int MaxH => Components.Max(c => c.H);

    public int MaxV => Components.Max(c => c.V);

    public bool IsLossless => Marker == JpegMarker.Sof3;
}

/// <summary>A scan header SOS (T.81 B.2.3) with the tables each of its components uses.</summary>
internal sealed record JpegScanHeader(JpegComponent[] Components, JpegHuffmanTable[] DcTables, JpegHuffmanTable?[] AcTables,
    int Ss, int Se, int Ah, int Al);

/// <summary>Marker codes of T.81 Table B.1 (the second byte after 0xFF).</summary>
internal static class JpegMarker
{
    public const int Sof0 = 0xC0;
    public const int Sof1 = 0xC1;
    public const int Sof2 = 0xC2;
    public const int Sof3 = 0xC3;
    public const int Dht = 0xC4;
    public const int Rst0 = 0xD0;
    public const int Soi = 0xD8;
    public const int Eoi = 0xD9;
    public const int Sos = 0xDA;
    public const int Dqt = 0xDB;
    public const int Dnl = 0xDC;
    public const int Dri = 0xDD;
    public const int App14 = 0xEE;
    public const int Sof55 = 0xF7;
    public const int Lse = 0xF8;
}
