using System.Buffers.Binary;
using System.IO.Compression;

namespace CxrPacsAgent.Imaging.Sources;

/// <summary>
/// 16-bit PNG samples at full depth (W3C PNG, 3rd ed.: chunks, zlib IDAT, the five scanline filters). SkiaSharp hands
/// out 8 bits or half floats (11 significant bits) only, which throws away the detector's depth that a 16-bit export
/// keeps; 8-bit PNGs still go through SkiaSharp. Grey, grey+alpha, RGB and RGBA; colour becomes Rec. 601 luma, alpha is
/// ignored. Non-interlaced only. Every chunk's CRC is checked; a file that ends early is an error, never a partial image.
/// </summary>
internal static class Png16Decoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>True when the bytes are a PNG whose IHDR says 16 bits per sample.</summary>
    public static bool IsSixteenBit(ReadOnlySpan<byte> png) =>
        png.Length >= 33 && png[..8].SequenceEqual(Signature) && png.Slice(12, 4).SequenceEqual("IHDR"u8) && png[24] == 16;

    /// <summary>Decodes to [0,1] grey (sample / 65535) and the EXIF orientation from an eXIf chunk (1 when none).</summary>
    public static (GrayImage Image, int Orientation) Decode(ReadOnlySpan<byte> png, string name)
    {
        var offset = 8;
        int width = 0, height = 0, colorType = -1;
        var orientation = 1;
        using var idat = new MemoryStream();
        var ended = false;
        while (!ended)
        {
            if (offset + 12 > png.Length)
            {
                throw Fail(name, $"truncated: the file ends at byte {png.Length} before the IEND chunk");
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            if (length > int.MaxValue || offset + 12 + (long)length > png.Length)
            {
                throw Fail(name, $"truncated: the chunk at byte {offset} declares {length} bytes, the file has {png.Length - offset - 12} left");
            }
            var type = png.Slice(offset + 4, 4);
            var data = png.Slice(offset + 8, (int)length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8 + (int)length)..]);
            if (Crc32(png.Slice(offset + 4, 4 + (int)length)) != crc)
            {
                throw Fail(name, $"chunk '{System.Text.Encoding.ASCII.GetString(type)}' at byte {offset} fails its CRC check");
            }
            if (type.SequenceEqual("IHDR"u8))
            {
                width = checked((int)BinaryPrimitives.ReadUInt32BigEndian(data));
                height = checked((int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]));
                colorType = data[9];
                if (data[12] != 0)
                {
                    throw Fail(name, "interlaced (Adam7) 16-bit PNG is not supported; save it without interlacing");
                }
                if (colorType is not (0 or 2 or 4 or 6))
                {
                    throw Fail(name, $"colour type {colorType} is not valid at 16 bits");
                }
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                idat.Write(data);
            }
            else if (type.SequenceEqual("eXIf"u8))
            {
                orientation = ExifOrientation.Read(data);
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                ended = true;
            }
            offset += 12 + (int)length;
        }
        if (width <= 0 || height <= 0)
        {
            throw new ImageException(ImageError.EmptyImage, $"{name} has no pixels.");
        }
        var channels = colorType switch { 0 => 1, 2 => 3, 4 => 2, _ => 4 };
        return (new GrayImage(width, height, Unfilter(Inflate(idat, name, height, 1 + (width * channels * 2)), width, height, channels, name)),
            orientation);
    }

    private static byte[] Inflate(MemoryStream idat, string name, int rows, int stride)
    {
        idat.Position = 0;
        var raw = new byte[checked(rows * stride)];
        try
        {
            using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
            var read = zlib.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
            if (read < raw.Length)
            {
                throw Fail(name, $"truncated: the image data holds {read / stride} of {rows} rows");
            }
        }
        catch (InvalidDataException e)
        {
            throw Fail(name, $"the compressed image data is damaged or cut short: {e.Message}");
        }
        return raw;
    }

    private static float[] Unfilter(byte[] raw, int width, int height, int channels, string name)
    {
        var bpp = channels * 2;
        var stride = 1 + (width * bpp);
        var pixels = new float[width * height];
        var previous = new byte[stride - 1];
        for (var y = 0; y < height; y++)
        {
            var line = raw.AsSpan((y * stride) + 1, stride - 1);
            var filter = raw[y * stride];
            for (var i = 0; i < line.Length; i++)
            {
                int a = i >= bpp ? line[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
                line[i] = filter switch
                {
                    0 => line[i],
                    1 => (byte)(line[i] + a),
                    2 => (byte)(line[i] + b),
                    3 => (byte)(line[i] + ((a + b) >> 1)),
                    4 => (byte)(line[i] + Paeth(a, b, c)),
                    _ => throw Fail(name, $"row {y} has filter type {filter}; PNG defines 0–4"),
                };
            }
            for (var x = 0; x < width; x++)
            {
                var s = line.Slice(x * bpp, bpp);
                pixels[(y * width) + x] = channels < 3
                    ? Sample(s, 0)
                    : (0.299f * Sample(s, 0)) + (0.587f * Sample(s, 1)) + (0.114f * Sample(s, 2));
            }
            line.CopyTo(previous);
        }
        return pixels;
    }

    private static float Sample(ReadOnlySpan<byte> pixel, int channel) => BinaryPrimitives.ReadUInt16BigEndian(pixel[(2 * channel)..]) / 65535f;

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        }
        return c ^ 0xFFFFFFFFu;
    }

    private static ImageException Fail(string name, string problem) => new(ImageError.Unreadable, $"{name}: {problem}.");
}
