namespace CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// One scan of the sequential DCT process with Huffman coding (T.81 Annex F): each 8×8 block's DC difference and
/// run-length coded AC coefficients, dequantized and inverse transformed (<see cref="JpegIdct"/>) into the component planes.
/// </summary>
internal static class JpegDctScan
{
    // Zig-zag order (T.81 Figure A.6): entry k is the natural (row-major) index of the k-th coefficient.
    private static ReadOnlySpan<byte> ZigZag =>
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
        28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
        54, 47, 55, 62, 63,
    ];

    public static int Decode(ReadOnlySpan<byte> data, int start, JpegFrameHeader frame, JpegScanHeader scan,
        ushort[][] quantizationTables, int restartInterval, string codec)
    {
        int maxH = frame.MaxH, maxV = frame.MaxV;
        var mcusX = (frame.SamplesPerLine + (8 * maxH) - 1) / (8 * maxH);
        var mcusY = (frame.Lines + (8 * maxV) - 1) / (8 * maxV);
        foreach (var component in scan.Components)
        {
            if (component.Plane.Length == 0)
            {
                component.PlaneWidth = mcusX * component.H * 8;
                component.PlaneHeight = mcusY * component.V * 8;
                component.Plane = new int[component.PlaneWidth * component.PlaneHeight];
            }
            component.DcPredictor = 0;
            if (quantizationTables[component.QuantizationTable] is null)
            {
                throw new DicomCodecException(codec, $"quantization table {component.QuantizationTable} was not defined", start);
            }
        }
        var reader = new JpegBitReader(data, start, codec);
        Span<int> coefficients = stackalloc int[64];
        int blocksX, blocksY;
        var single = scan.Components.Length == 1;
        if (single)
        {
            // A non-interleaved scan covers the component's own extent in blocks (T.81 A.2.2).
            var c = scan.Components[0];
            blocksX = ((((frame.SamplesPerLine * c.H) + maxH - 1) / maxH) + 7) / 8;
            blocksY = ((((frame.Lines * c.V) + maxV - 1) / maxV) + 7) / 8;
        }
        else
        {
            blocksX = mcusX;
            blocksY = mcusY;
        }
        var total = blocksX * blocksY;
        var restartIndex = 0;
        for (var mcu = 0; mcu < total; mcu++)
        {
            if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0)
            {
                reader.Restart(restartIndex);
                restartIndex = (restartIndex + 1) & 7;
                foreach (var component in scan.Components)
                {
                    component.DcPredictor = 0;
                }
            }
            int mx = mcu % blocksX, my = mcu / blocksX;
            for (var c = 0; c < scan.Components.Length; c++)
            {
                var component = scan.Components[c];
                var q = quantizationTables[component.QuantizationTable];
                int h = single ? 1 : component.H, v = single ? 1 : component.V;
                for (var by = 0; by < v; by++)
                {
                    for (var bx = 0; bx < h; bx++)
                    {
                        DecodeBlock(ref reader, component, scan.DcTables[c], scan.AcTables[c]!, q, coefficients, codec);
                        var x = ((mx * h) + bx) * 8;
                        var y = ((my * v) + by) * 8;
                        JpegIdct.Transform(coefficients, component.Plane.AsSpan((y * component.PlaneWidth) + x),
                            component.PlaneWidth, frame.Precision);
                    }
                }
            }
            if (mx == blocksX - 1)
            {
                reader.CheckNotTruncated();
            }
        }
        return JpegLosslessScan.SkipToMarker(data, reader.Position);
    }

    private static void DecodeBlock(ref JpegBitReader reader, JpegComponent component, JpegHuffmanTable dc,
        JpegHuffmanTable ac, ushort[] q, scoped Span<int> coefficients, string codec)
    {
        coefficients.Clear();
        var category = dc.Decode(ref reader, codec);
        if (category > 16)
        {
            throw new DicomCodecException(codec, $"DC difference category {category} is above 16", reader.Position);
        }
        component.DcPredictor += reader.ReceiveExtend(category);
        coefficients[0] = component.DcPredictor * q[0];
        for (var k = 1; k < 64;)
        {
            var rs = ac.Decode(ref reader, codec);
            int run = rs >> 4, size = rs & 15;
            if (size == 0)
            {
                if (run != 15)
                {
                    break; // EOB
                }
                k += 16; // ZRL
                continue;
            }
            k += run;
            if (k > 63)
            {
                throw new DicomCodecException(codec, "AC coefficients run past the end of the block", reader.Position);
            }
            coefficients[ZigZag[k]] = reader.ReceiveExtend(size) * q[k];
            k++;
        }
    }
}
