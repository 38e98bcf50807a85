namespace CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// One scan of the lossless process (T.81 Annex H): Huffman-coded differences from one of seven predictors, in
/// arithmetic modulo 2^16 (H.1.2.1). Each component is one sample per MCU, so sampling factors must be 1.
/// </summary>
internal static class JpegLosslessScan
{
    /// <summary>Decodes the scan's entropy-coded data starting at <paramref name="start"/>; returns the offset after it.</summary>
    public static int Decode(ReadOnlySpan<byte> data, int start, JpegFrameHeader frame, JpegScanHeader scan,
        int restartInterval, string codec)
    {
        int width = frame.SamplesPerLine, height = frame.Lines;
        if (scan.Components.Length > 1 && frame.Components.Any(c => c.H != 1 || c.V != 1))
        {
            throw new DicomCodecException(codec, "interleaved lossless components with sampling factors other than 1", start);
        }
        if (restartInterval > 0 && restartInterval % width != 0)
        {
            throw new DicomCodecException(codec, $"restart interval {restartInterval} is not a whole number of lines of {width}", start);
        }
        var components = scan.Components;
        var planes = new int[components.Length][];
        for (var c = 0; c < components.Length; c++)
        {
            var component = components[c];
            if (component.Plane.Length == 0)
            {
                component.Plane = new int[width * height];
                component.PlaneWidth = width;
                component.PlaneHeight = height;
            }
            planes[c] = component.Plane;
        }
        var reader = new JpegBitReader(data, start, codec);
        int predictor = scan.Ss, pointTransform = scan.Al;
        var initial = 1 << (frame.Precision - pointTransform - 1);
        var linesPerInterval = restartInterval == 0 ? int.MaxValue : restartInterval / width;
        var restartIndex = 0;
        var linesInInterval = 0;
        for (var y = 0; y < height; y++)
        {
            if (linesInInterval == linesPerInterval)
            {
                reader.Restart(restartIndex);
                restartIndex = (restartIndex + 1) & 7;
                linesInInterval = 0;
            }
            // The first line of the scan and of each restart interval is predicted from the left only (H.1.2.1).
            var firstLine = linesInInterval == 0;
            linesInInterval++;
            for (var c = 0; c < components.Length; c++)
            {
                DecodeLineStart(ref reader, planes[c], y, width, firstLine, initial, scan.DcTables[c], codec);
            }
            if (components.Length == 1)
            {
                // One component (every grey image): a loop per predictor, over spans, without per-sample switches.
                DecodeRest(ref reader, planes[0], y, width, firstLine ? 1 : predictor, scan.DcTables[0], codec);
                reader.CheckNotTruncated();
                continue;
            }
            for (var x = 1; x < width; x++)
            {
                for (var c = 0; c < components.Length; c++)
                {
                    var plane = planes[c];
                    var i = (y * width) + x;
                    var ra = plane[i - 1];
                    int prediction;
                    if (firstLine)
                    {
                        prediction = ra;
                    }
                    else
                    {
                        int rb = plane[i - width], rc = plane[i - width - 1];
                        prediction = predictor switch
                        {
                            1 => ra,
                            2 => rb,
                            3 => rc,
                            4 => ra + rb - rc,
                            5 => ra + ((rb - rc) >> 1),
                            6 => rb + ((ra - rc) >> 1),
                            _ => (ra + rb) >> 1,
                        };
                    }
                    plane[i] = (prediction + Difference(ref reader, scan.DcTables[c], codec)) & 0xFFFF;
                }
            }
            reader.CheckNotTruncated();
        }
        if (pointTransform > 0)
        {
            foreach (var plane in planes)
            {
                for (var i = 0; i < plane.Length; i++)
                {
                    plane[i] <<= pointTransform;
                }
            }
        }
        return SkipToMarker(data, reader.Position);
    }

    private static void DecodeRest(ref JpegBitReader reader, int[] plane, int y, int width, int predictor,
        JpegHuffmanTable table, string codec)
    {
        var row = plane.AsSpan(y * width, width);
        // On the first line only predictor 1 is used, so the line above is never read there.
        var above = y == 0 ? row : plane.AsSpan((y - 1) * width, width);
        switch (predictor)
        {
            case 1: DecodeRest<Left>(ref reader, row, above, table, codec); break;
            case 2: DecodeRest<Above>(ref reader, row, above, table, codec); break;
            case 3: DecodeRest<AboveLeft>(ref reader, row, above, table, codec); break;
            case 4: DecodeRest<Plane>(ref reader, row, above, table, codec); break;
            case 5: DecodeRest<LeftPlusHalfVertical>(ref reader, row, above, table, codec); break;
            case 6: DecodeRest<AbovePlusHalfHorizontal>(ref reader, row, above, table, codec); break;
            default: DecodeRest<Average>(ref reader, row, above, table, codec); break;
        }
    }

    // The JIT compiles one loop per predictor type, with the prediction inlined.
    private static void DecodeRest<TPredictor>(ref JpegBitReader reader, Span<int> row, ReadOnlySpan<int> above,
        JpegHuffmanTable table, string codec) where TPredictor : struct, IPredictor
    {
        var ra = row[0];
        for (var x = 1; x < row.Length; x++)
        {
            ra = (TPredictor.Predict(ra, above[x], above[x - 1]) + Difference(ref reader, table, codec)) & 0xFFFF;
            row[x] = ra;
        }
    }

    private interface IPredictor
    {
        static abstract int Predict(int ra, int rb, int rc);
    }

    // The seven predictors of T.81 Table H.1.
    private readonly struct Left : IPredictor
    {
        public static int Predict(int ra, int rb, int rc) => ra;
    }

    private readonly struct Above : IPredictor
    {
        public static int Predict(int ra, int rb, int rc) => rb;
    }

    private readonly struct AboveLeft : IPredictor
    {
        public static int Predict(int ra, int rb, int rc) => rc;
    }

    private readonly struct Plane : IPredictor
    {
        public static int Predict(int ra, int rb, int rc) => ra + rb - rc;
    }

    private readonly struct LeftPlusHalfVertical : IPredictor
    {
        public static int Predict(int ra, int rb, int rc) => ra + ((rb - rc) >> 1);
    }

    private readonly struct AbovePlusHalfHorizontal : IPredictor
    {
        public static int Predict(int ra, int rb, int rc) => rb + ((ra - rc) >> 1);
    }

    private readonly struct Average : IPredictor
    {
        public static int Predict(int ra, int rb, int rc) => (ra + rb) >> 1;
    }

    private static void DecodeLineStart(ref JpegBitReader reader, int[] plane, int y, int width, bool firstLine,
        int initial, JpegHuffmanTable table, string codec)
    {
        var i = y * width;
        // At a line start the predictor is Rb, or the default value on the first line (H.1.2.1).
        var prediction = firstLine ? initial : plane[i - width];
        plane[i] = (prediction + Difference(ref reader, table, codec)) & 0xFFFF;
    }

    // A difference category SSSS, then SSSS extra bits; category 16 is the difference 32768 with none (H.1.2.2).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int Difference(ref JpegBitReader reader, JpegHuffmanTable table, string codec)
    {
        var category = table.Decode(ref reader, codec);
        if (category < 16)
        {
            return reader.ReceiveExtend(category);
        }
        return category == 16 ? 32768 : throw BadCategory(category, reader.Position, codec);
    }

    private static DicomCodecException BadCategory(int category, int position, string codec) =>
        new(codec, $"difference category {category} is above 16", position);

    /// <summary>Where the next marker (not a stuffed 0xFF00 or an RSTn) begins, from the reader's position.</summary>
    internal static int SkipToMarker(ReadOnlySpan<byte> data, int position)
    {
        while (position + 1 < data.Length)
        {
            if (data[position] == 0xFF && data[position + 1] != 0x00 && data[position + 1] is not (>= 0xD0 and <= 0xD7))
            {
                return position;
            }
            position++;
        }
        return data.Length;
    }
}
