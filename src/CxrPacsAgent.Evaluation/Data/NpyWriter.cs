using System.Globalization;
using System.Text;

namespace CxrPacsAgent.Evaluation.Data;

/// <summary>Writes NumPy .npy (format 1.0, little-endian float32, C order): what the Python toolkit reads with numpy.load.</summary>
public static class NpyWriter
{
    public static void Write(string path, ReadOnlySpan<float> data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        using var stream = File.Create(path);
        Write(stream, data, shape);
    }

    public static void Write(Stream stream, ReadOnlySpan<float> data, params int[] shape)
    {
        WriteHeader(stream, "<f4", shape);
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data));
    }

    /// <summary>Half-precision (float16, '&lt;f2'): half the size, for a package's stored training features.</summary>
    public static void WriteHalf(string path, ReadOnlySpan<Half> data, params int[] shape)
    {
        using var stream = File.Create(path);
        WriteHeader(stream, "<f2", shape);
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data));
    }

    private static void WriteHeader(Stream stream, string descr, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(shape);
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        // Magic (6) + version (2) + header length (2) + header, padded with spaces so the data starts on a 64-byte boundary.
        var total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + ((64 - (total % 64)) % 64)) + "\n";
        stream.WriteByte(0x93); // a raw byte: in a u8 string literal it would be UTF-8 encoded as two
        stream.Write("NUMPY"u8);
        stream.Write([1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
    }
}
