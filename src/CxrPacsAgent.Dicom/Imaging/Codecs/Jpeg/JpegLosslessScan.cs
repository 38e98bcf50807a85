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
