using System.Buffers.Binary;

namespace CxrPacsAgent.Dicom.Imaging.Codecs.JpegLs;

/// <summary>
/// JPEG-LS (ITU T.87 / ISO 14495-1) lossless and near-lossless decoding (PS3.5 A.4.3): SOF55, LSE preset parameters,
/// scans of one component, line- or sample-interleaved. Mapping tables (palettes in LSE) are not supported.
/// </summary>
public sealed class JpegLsFrameDecoder : IDicomFrameDecoder
{
    private const int Sof55 = 0xF7;
    private const int Lse = 0xF8;
    private const int Sos = 0xDA;
    private const int Soi = 0xD8;
    private const int Eoi = 0xD9;
    private const int Dri = 0xDD;

    public string Name => "JPEG-LS";

    public void Decode(ReadOnlySpan<byte> frame, PixelDescription description, Span<int> samples)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (frame.Length < 4 || frame[0] != 0xFF || frame[1] != Soi)
        {
            throw Error("no SOI marker at the start of the frame", 0);
        }
        int precision = 0, width = 0, height = 0;
        int[] componentIds = [];
        int maxVal = 0, t1 = 0, t2 = 0, t3 = 0, reset = 0;
        var decoded = new bool[4];
        var position = 2;
        while (true)
        {
            while (position + 1 < frame.Length && frame[position] == 0xFF && frame[position + 1] == 0xFF)
            {
                position++;
            }
            if (position + 1 >= frame.Length)
            {
                break;
            }
            if (frame[position] != 0xFF)
            {
                throw Error($"marker expected, found 0x{frame[position]:X2}", position);
            }
            var marker = frame[position + 1];
            var markerOffset = position;
            position += 2;
            if (marker == Eoi)
            {
                break;
            }
            if (position + 2 > frame.Length)
            {
                throw Error("marker segment length missing", markerOffset);
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(frame[position..]);
            if (length < 2 || position + length > frame.Length)
            {
                throw Error($"marker segment of length {length} overruns the data", markerOffset);
            }
            var s = frame.Slice(position + 2, length - 2);
            position += length;
            switch (marker)
            {
                case Sof55:
                    if (componentIds.Length > 0 || s.Length < 6)
                    {
                        throw Error("second or short SOF55", markerOffset);
                    }
                    precision = s[0];
                    height = BinaryPrimitives.ReadUInt16BigEndian(s[1..]);
                    width = BinaryPrimitives.ReadUInt16BigEndian(s[3..]);
                    var count = s[5];
                    if (precision is < 2 or > 16 || count is < 1 or > 4 || s.Length < 6 + (3 * count) || width == 0 || height == 0)
                    {
                        throw Error($"SOF55 is malformed (precision {precision}, {count} components, {width}×{height})", markerOffset);
                    }
                    componentIds = new int[count];
                    for (var i = 0; i < count; i++)
                    {
                        componentIds[i] = s[6 + (3 * i)];
                        if (s[7 + (3 * i)] != 0x11)
                        {
                            throw Error("subsampled JPEG-LS components are not supported", markerOffset);
                        }
                    }
                    Check(description, width, height, count);
                    break;
                case Lse:
                    if (s.Length < 1 || s[0] != 1 || s.Length < 11)
                    {
                        throw Error($"LSE type {(s.Length > 0 ? s[0] : -1)} (mapping tables / oversize images) is not supported", markerOffset);
                    }
                    maxVal = BinaryPrimitives.ReadUInt16BigEndian(s[1..]);
                    t1 = BinaryPrimitives.ReadUInt16BigEndian(s[3..]);
                    t2 = BinaryPrimitives.ReadUInt16BigEndian(s[5..]);
                    t3 = BinaryPrimitives.ReadUInt16BigEndian(s[7..]);
                    reset = BinaryPrimitives.ReadUInt16BigEndian(s[9..]);
                    break;
                case Dri:
                    if (s.Length >= 2 && BinaryPrimitives.ReadUInt16BigEndian(s) != 0)
                    {
                        throw Error("restart intervals are not supported", markerOffset);
                    }
                    break;
                case Sos:
                    if (componentIds.Length == 0)
                    {
                        throw Error("SOS before SOF55", markerOffset);
                    }
                    position = DecodeScan(frame, position, s, markerOffset, precision, width, height, componentIds,
                        new ScanParameters(maxVal, t1, t2, t3, reset), decoded, samples);
                    break;
                case >= 0xC0 and <= 0xCF when marker is not (0xC4 or 0xC8 or 0xCC):
                    throw Error($"SOF{marker - 0xC0} is a T.81 JPEG frame, not JPEG-LS", markerOffset);
                default:
                    break; // APPn, COM
            }
        }
        for (var i = 0; i < componentIds.Length; i++)
        {
            if (!decoded[i])
            {
                throw Error($"component {componentIds[i]} was never coded in any scan", position);
            }
        }
        if (componentIds.Length == 0)
        {
            throw Error("no SOF55 frame header", position);
        }
    }

    private readonly record struct ScanParameters(int MaxVal, int T1, int T2, int T3, int Reset);

    private int DecodeScan(ReadOnlySpan<byte> frame, int position, ReadOnlySpan<byte> s, int markerOffset, int precision,
        int width, int height, int[] componentIds, ScanParameters preset, bool[] decoded, Span<int> samples)
    {
        if (s.Length < 1 || s[0] is < 1 or > 4 || s.Length < 4 + (2 * s[0]))
        {
            throw Error("SOS segment malformed", markerOffset);
        }
        var count = s[0];
        var indices = new int[count];
        for (var i = 0; i < count; i++)
        {
            indices[i] = Array.IndexOf(componentIds, (int)s[1 + (2 * i)]);
            if (indices[i] < 0)
            {
                throw Error($"scan names component {s[1 + (2 * i)]}, which the frame lacks", markerOffset);
            }
            if (s[2 + (2 * i)] != 0)
            {
                throw Error("mapping tables are not supported", markerOffset);
            }
            decoded[indices[i]] = true;
        }
        var p = 1 + (2 * count);
        int near = s[p], interleave = s[p + 1], pointTransform = s[p + 2] & 15;
        var maxVal = preset.MaxVal > 0 ? preset.MaxVal : (1 << precision) - 1;
        if (near > Math.Min(255, maxVal / 2))
        {
            throw Error($"NEAR {near} is out of range for MAXVAL {maxVal}", markerOffset);
        }
        if (interleave > 2 || (interleave == 0 && count != 1))
        {
            throw Error($"interleave mode {interleave} with {count} components is not valid", markerOffset);
        }
        if (preset.MaxVal >= 1 << precision || pointTransform >= precision)
        {
            throw Error("MAXVAL or point transform does not fit the sample precision", markerOffset);
        }
        var parameters = new JpegLsParameters(precision, near, preset.MaxVal, preset.T1, preset.T2, preset.T3, preset.Reset);
        if (parameters.T1 > parameters.T2 || parameters.T2 > parameters.T3 || parameters.T3 > parameters.MaxVal && preset.T3 > 0)
        {
            throw Error("LSE thresholds are not ordered T1 ≤ T2 ≤ T3 ≤ MAXVAL", markerOffset);
        }
        var scan = new JpegLsScan(parameters);
        return scan.Decode(frame, position, width, height, componentIds.Length, indices, pointTransform, interleave == 2 && count > 1, samples);
    }

    private void Check(PixelDescription description, int width, int height, int count)
    {
        if (width != description.Columns || height != description.Rows || count != description.SamplesPerPixel)
        {
            throw Error($"the JPEG-LS frame is {width}×{height}×{count}, the data set says {description.Columns}×{description.Rows}×{description.SamplesPerPixel}", 0);
        }
    }

    private DicomCodecException Error(string problem, int offset) => new(Name, problem, offset);
}
