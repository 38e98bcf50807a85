using System.Buffers.Binary;

namespace CxrPacsAgent.Imaging.Sources;

/// <summary>
/// The EXIF Orientation tag (0x0112, TIFF 6.0 / CIPA DC-008 values 1–8) and the turn or mirror it asks for. Phones and
/// some export tools store a radiograph sideways with this tag; a viewer shows it upright, and so must the model.
/// </summary>
public static class ExifOrientation
{
    /// <summary>Reads the tag from a TIFF-structured EXIF block (an eXIf chunk's data); 1 (as stored) when absent or malformed.</summary>
    public static int Read(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return 1;
        }
        var little = tiff[0] == (byte)'I' && tiff[1] == (byte)'I';
        if (!little && !(tiff[0] == (byte)'M' && tiff[1] == (byte)'M'))
        {
            return 1;
        }
        var ifd = little ? BinaryPrimitives.ReadUInt32LittleEndian(tiff[4..]) : BinaryPrimitives.ReadUInt32BigEndian(tiff[4..]);
        if (ifd + 2 > (uint)tiff.Length)
        {
            return 1;
        }
        var count = U16(tiff, (int)ifd, little);
        for (var i = 0; i < count; i++)
        {
            var entry = (int)ifd + 2 + (12 * i);
            if (entry + 12 > tiff.Length)
            {
                return 1;
            }
            if (U16(tiff, entry, little) == 0x0112)
            {
                var value = U16(tiff, entry + 8, little);
                return value is >= 1 and <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static ushort U16(ReadOnlySpan<byte> tiff, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(tiff[at..]) : BinaryPrimitives.ReadUInt16BigEndian(tiff[at..]);

    /// <summary>The image as a viewer shows it: stored pixels turned and/or mirrored as <paramref name="orientation"/> says.</summary>
    public static GrayImage Apply(GrayImage stored, int orientation)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (orientation is < 2 or > 8)
        {
            return stored;
        }
        int w = stored.Width, h = stored.Height;
        var swap = orientation >= 5;
        var upright = swap ? new GrayImage(h, w) : new GrayImage(w, h);
        for (var y = 0; y < upright.Height; y++)
        {
            for (var x = 0; x < upright.Width; x++)
            {
                // Display (x, y) → stored (sx, sy), one case per EXIF value.
                var (sx, sy) = orientation switch
                {
                    2 => (w - 1 - x, y),
                    3 => (w - 1 - x, h - 1 - y),
                    4 => (x, h - 1 - y),
                    5 => (y, x),
                    6 => (y, h - 1 - x),
                    7 => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x),
                };
                upright[x, y] = stored[sx, sy];
            }
        }
        return upright;
    }
}
