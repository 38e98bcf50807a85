using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace CxrPacsAgent.Inference.Packages;

/// <summary>
/// Reads a 2-D float32 or float16 little-endian C-order .npy file (NumPy format 1.0/2.0): what a package keeps its OOD
/// statistics in, so that NumPy reads the same file. Anything else is refused with the reason.
/// </summary>
public static partial class NpyMatrix
{
    public static (float[] Values, int Rows, int Columns) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not a .npy file");
        }
        var major = bytes[6];
        var headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        var start = major == 1 ? 10 : 12;
        if (start + headerLength > bytes.Length)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)}: the header runs past the end of the file");
        }
        var header = Encoding.ASCII.GetString(bytes, start, headerLength);
        var match = Header().Match(header);
        if (!match.Success)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)}: expected a 2-D '<f4' or '<f2' C-order array, the header says {header.Trim()}");
        }
        var size = match.Groups[1].Value == "4" ? 4 : 2;
        int rows = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        int columns = int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
        var data = start + headerLength;
        if ((long)rows * columns * size != bytes.Length - data)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)}: [{rows}, {columns}] of {size}-byte floats needs {(long)rows * columns * size} bytes, the file holds {bytes.Length - data}");
        }
        var values = new float[rows * columns];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = size == 4
                ? BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(data + (4 * i)))
                : (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(data + (2 * i)));
        }
        return (values, rows, columns);
    }

    [GeneratedRegex(@"'descr':\s*'<f([42])',\s*'fortran_order':\s*False,\s*'shape':\s*\((\d+),\s*(\d+)\)")]
    private static partial Regex Header();
}
