using System.Buffers.Binary;

namespace CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// T.81 interchange-format decoder for the Huffman processes DICOM uses: baseline and extended sequential DCT
/// (SOF0/SOF1, 8 or 12 bits) and lossless (SOF3, 2–16 bits, predictors 1–7). Walks the marker segments, keeps the
/// tables, and hands each scan to <see cref="JpegDctScan"/> or <see cref="JpegLosslessScan"/>.
/// </summary>
internal sealed class JpegDecoder
{
    private readonly string codec;
    private readonly PixelDescription expected;
    private readonly JpegHuffmanTable?[] dcTables = new JpegHuffmanTable?[4];
    private readonly JpegHuffmanTable?[] acTables = new JpegHuffmanTable?[4];
    private readonly ushort[][] quantizationTables = new ushort[4][];
    private int restartInterval;
    private int adobeTransform = -1;

    /// <summary>A decoder for a frame that must match <paramref name="expected"/>, checked at SOF before any allocation.</summary>
    public JpegDecoder(string codec, PixelDescription expected)
    {
        this.codec = codec;
        this.expected = expected;
    }

    public JpegFrameHeader? Frame { get; private set; }

    /// <summary>The Adobe APP14 colour transform flag; -1 without that marker.</summary>
    public int AdobeTransform => adobeTransform;

    /// <summary>Decodes the whole stream; afterwards each component's <see cref="JpegComponent.Plane"/> holds its samples.</summary>
    public void Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != JpegMarker.Soi)
        {
            throw new DicomCodecException(codec, "no SOI marker at the start of the frame", 0);
        }
        var position = 2;
        var scans = 0;
        while (true)
        {
            // Fill bytes (0xFF) may precede any marker (T.81 B.1.1.2); trailing garbage after the last scan ends the stream.
            while (position < data.Length && data[position] == 0xFF && position + 1 < data.Length && data[position + 1] == 0xFF)
            {
                position++;
            }
            if (position + 1 >= data.Length)
            {
                if (scans > 0)
                {
                    return; // EOI missing: accept what the scans gave, as every decoder does.
                }
                throw new DicomCodecException(codec, "the stream ends before any scan", position);
            }
            if (data[position] != 0xFF)
            {
                throw new DicomCodecException(codec, $"marker expected, found 0x{data[position]:X2}", position);
            }
            var marker = data[position + 1];
            var markerOffset = position;
            position += 2;
            if (marker == JpegMarker.Eoi)
            {
                if (scans == 0)
                {
                    throw new DicomCodecException(codec, "EOI before any scan", markerOffset);
                }
                return;
            }
            if (marker is >= JpegMarker.Rst0 and <= JpegMarker.Rst0 + 7 || marker == 0x01)
            {
                continue; // stray RSTn / TEM carry no segment
            }
            var segment = Segment(data, position, markerOffset);
            position += segment.Length + 2;
            switch (marker)
            {
                case JpegMarker.Sof0 or JpegMarker.Sof1 or JpegMarker.Sof3:
                    ReadFrameHeader(segment, marker, markerOffset);
                    break;
                case JpegMarker.Dht:
                    ReadHuffmanTables(segment, markerOffset);
                    break;
                case JpegMarker.Dqt:
                    ReadQuantizationTables(segment, markerOffset);
                    break;
                case JpegMarker.Dri:
                    Require(segment.Length >= 2, "DRI segment too short", markerOffset);
                    restartInterval = BinaryPrimitives.ReadUInt16BigEndian(segment);
                    break;
                case JpegMarker.Sos:
                    var scan = ReadScanHeader(segment, markerOffset);
                    position = Frame!.IsLossless
                        ? JpegLosslessScan.Decode(data, position, Frame, scan, restartInterval, codec)
                        : JpegDctScan.Decode(data, position, Frame, scan, quantizationTables, restartInterval, codec);
                    scans++;
                    break;
                case JpegMarker.Dnl:
                    throw new DicomCodecException(codec, "DNL (number of lines after the scan) is not supported", markerOffset);
                case JpegMarker.App14:
                    if (segment.Length >= 12 && segment[..5].SequenceEqual("Adobe"u8))
                    {
                        adobeTransform = segment[11];
                    }
                    break;
                case >= 0xC0 and <= 0xCF when marker is not (0xC4 or 0xC8 or 0xCC):
                    throw new DicomCodecException(codec, $"SOF{marker - 0xC0} (process not supported by this decoder)", markerOffset);
                case JpegMarker.Sof55:
                    throw new DicomCodecException(codec, "SOF55 is JPEG-LS, not T.81", markerOffset);
                default:
                    break; // APPn, COM and others carry nothing the pixels need
            }
        }
    }

    private ReadOnlySpan<byte> Segment(ReadOnlySpan<byte> data, int position, int markerOffset)
    {
        Require(position + 2 <= data.Length, "marker segment length missing", markerOffset);
        var length = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
        Require(length >= 2 && position + length <= data.Length, $"marker segment of length {length} overruns the data", markerOffset);
        return data.Slice(position + 2, length - 2);
    }

    private void ReadFrameHeader(ReadOnlySpan<byte> s, int marker, int offset)
    {
        Require(Frame is null, "second frame header (hierarchical streams are not supported)", offset);
        Require(s.Length >= 6, "SOF segment too short", offset);
        int precision = s[0], lines = BinaryPrimitives.ReadUInt16BigEndian(s[1..]), width = BinaryPrimitives.ReadUInt16BigEndian(s[3..]);
        int count = s[5];
        Require(s.Length >= 6 + (3 * count) && count is >= 1 and <= 4, $"SOF has {count} components in {s.Length} bytes", offset);
        Require(lines > 0, "frame header has 0 lines (DNL is not supported)", offset);
        Require(width > 0, "frame header has 0 samples per line", offset);
        Require(marker == JpegMarker.Sof3 ? precision is >= 2 and <= 16 : precision is 8 or 12,
            $"sample precision {precision} is not allowed for SOF{marker - 0xC0}", offset);
        // A hostile header must not make us allocate planes for 65535×65535 samples: the data set says what to expect.
        Require(lines == expected.Rows && width == expected.Columns && count == expected.SamplesPerPixel,
            $"the JPEG frame is {width}×{lines}×{count}, the data set says {expected.Columns}×{expected.Rows}×{expected.SamplesPerPixel}", offset);
        var components = new JpegComponent[count];
        for (var i = 0; i < count; i++)
        {
            var c = s.Slice(6 + (3 * i), 3);
            int h = c[1] >> 4, v = c[1] & 15;
            Require(h is >= 1 and <= 4 && v is >= 1 and <= 4 && c[2] < 4, $"component {i} has sampling {h}x{v} / table {c[2]}", offset);
            components[i] = new JpegComponent(c[0], h, v, c[2]);
        }
        Frame = new JpegFrameHeader(marker, precision, lines, width, components);
    }

    private void ReadHuffmanTables(ReadOnlySpan<byte> s, int offset)
    {
        while (s.Length > 0)
        {
            Require(s.Length >= 17, "DHT segment too short", offset);
            int tc = s[0] >> 4, th = s[0] & 15;
            Require(tc <= 1 && th <= 3, $"DHT class {tc} / destination {th} is not allowed", offset);
            var counts = s.Slice(1, 16);
            var total = 0;
            foreach (var n in counts)
            {
                total += n;
            }
            Require(total <= 256 && s.Length >= 17 + total, "DHT values overrun the segment", offset);
            var table = JpegHuffmanTable.Create(counts, s.Slice(17, total), codec, offset);
            (tc == 0 ? dcTables : acTables)[th] = table;
            s = s[(17 + total)..];
        }
    }

    private void ReadQuantizationTables(ReadOnlySpan<byte> s, int offset)
    {
        while (s.Length > 0)
        {
            int pq = s[0] >> 4, tq = s[0] & 15;
            Require(pq <= 1 && tq <= 3 && s.Length >= 1 + (64 << pq), "DQT segment malformed", offset);
            var table = new ushort[64];
            for (var i = 0; i < 64; i++)
            {
                table[i] = pq == 0 ? s[1 + i] : BinaryPrimitives.ReadUInt16BigEndian(s[(1 + (2 * i))..]);
            }
            quantizationTables[tq] = table;
            s = s[(1 + (64 << pq))..];
        }
    }

    private JpegScanHeader ReadScanHeader(ReadOnlySpan<byte> s, int offset)
    {
        Require(Frame is not null, "SOS before any frame header", offset);
        Require(s.Length >= 1, "SOS segment too short", offset);
        int count = s[0];
        Require(count is >= 1 and <= 4 && s.Length >= 4 + (2 * count), "SOS segment malformed", offset);
        var components = new JpegComponent[count];
        var dc = new JpegHuffmanTable[count];
        var ac = new JpegHuffmanTable?[count];
        for (var i = 0; i < count; i++)
        {
            int id = s[1 + (2 * i)], tables = s[2 + (2 * i)];
            components[i] = Frame!.Components.FirstOrDefault(c => c.Id == id)
                ?? throw new DicomCodecException(codec, $"scan names component {id}, which the frame lacks", offset);
            int td = tables >> 4, ta = tables & 15;
            Require(td <= 3 && dcTables[td] is not null, $"scan uses DC table {td}, which was not defined", offset);
            Require(Frame.IsLossless || (ta <= 3 && acTables[ta] is not null), $"scan uses AC table {ta}, which was not defined", offset);
            dc[i] = dcTables[td]!;
            ac[i] = ta <= 3 ? acTables[ta] : null;
        }
        var p = 1 + (2 * count);
        var scan = new JpegScanHeader(components, dc, ac, s[p], s[p + 1], s[p + 2] >> 4, s[p + 2] & 15);
        if (Frame!.IsLossless)
        {
            Require(scan.Ss is >= 1 and <= 7, $"lossless predictor {scan.Ss} is not 1–7", offset);
            Require(scan.Al < Frame.Precision, $"point transform {scan.Al} is not below the precision", offset);
        }
        // A sequential DCT scan always codes all 64 coefficients; Ss, Se, Ah and Al carry no information there. Some
        // writers leave Se = 0 (pydicom's JPEG-lossy.dcm): read them as sequential, as the IJG library does (it warns).
        return scan;
    }

    private void Require(bool condition, string problem, int offset)
    {
        if (!condition)
        {
            throw new DicomCodecException(codec, problem, offset);
        }
    }
}
