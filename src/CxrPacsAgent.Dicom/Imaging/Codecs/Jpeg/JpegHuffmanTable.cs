namespace CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// A Huffman table from DHT (T.81 B.2.4.2), decoded with a 9-bit lookahead table for the common short codes and the
/// MAXCODE/VALPTR procedure of T.81 F.2.2.3 for longer ones.
/// </summary>
internal sealed class JpegHuffmanTable
{
    private const int LookaheadBits = 9;

    // Entry: code length << 8 | value; 0 where the code is longer than LookaheadBits.
    private readonly ushort[] lookahead = new ushort[1 << LookaheadBits];
    private readonly int[] maxCode = new int[18];
    private readonly int[] valuePointer = new int[17];
    private readonly int[] minCode = new int[17];
    private readonly byte[] values;

    private JpegHuffmanTable(byte[] values) => this.values = values;

    /// <summary>Builds the table from BITS (16 counts) and HUFFVAL; <paramref name="offset"/> locates errors.</summary>
    public static JpegHuffmanTable Create(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> huffValues, string codec, int offset)
    {
        var table = new JpegHuffmanTable(huffValues.ToArray());
        // Generate the codes of each length in order (T.81 C.2); a code overflowing its length means a bad BITS list.
        int code = 0, k = 0;
        for (var length = 1; length <= 16; length++)
        {
            var n = counts[length - 1];
            table.valuePointer[length] = k;
            table.minCode[length] = code;
            for (var i = 0; i < n; i++, k++, code++)
            {
                if (code >= 1 << length)
                {
                    throw new DicomCodecException(codec, "Huffman table has more codes than fit their lengths", offset);
                }
                if (length <= LookaheadBits)
                {
                    var shift = LookaheadBits - length;
                    var entry = (ushort)((length << 8) | huffValues[k]);
                    table.lookahead.AsSpan(code << shift, 1 << shift).Fill(entry);
                }
            }
            table.maxCode[length] = n == 0 ? -1 : code - 1;
            code <<= 1;
        }
        table.maxCode[17] = int.MaxValue;
        return table;
    }

    /// <summary>Decodes one value (T.81 F.2.2.3); an invalid code is a <see cref="DicomCodecException"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public int Decode(ref JpegBitReader reader, string codec)
    {
        var bits = reader.Peek16();
        var entry = lookahead[bits >> (16 - LookaheadBits)];
        if (entry != 0)
        {
            reader.Skip(entry >> 8);
            return entry & 0xFF;
        }
        return DecodeLong(ref reader, bits, codec);
    }

    // Codes longer than the lookahead: T.81 F.2.2.3's MAXCODE search.
    private int DecodeLong(ref JpegBitReader reader, int bits, string codec)
    {
        for (var length = LookaheadBits + 1; length <= 16; length++)
        {
            var code = bits >> (16 - length);
            if (code <= maxCode[length])
            {
                reader.Skip(length);
                return values[valuePointer[length] + code - minCode[length]];
            }
        }
        throw new DicomCodecException(codec, "invalid Huffman code", reader.Position);
    }
}
