using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Inference.Tests.TestSupport;

namespace CxrPacsAgent.Evaluation.Tests.Data;

public sealed class NpyWriterTests
{
    [Fact]
    public void Header_is_npy_1_0_and_data_is_64_byte_aligned()
    {
        using var stream = new MemoryStream();
        NpyWriter.Write(stream, [1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var bytes = stream.ToArray();
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], bytes[..8]);
        var headerLength = BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'shape': (2, 3)", header, StringComparison.Ordinal);
        Assert.Equal(6f, BitConverter.ToSingle(bytes, 10 + headerLength + 20));
    }

    [Fact]
    public void Numpy_reads_it()
    {
        var path = Path.Combine(Repository.TempFolder("npy"), "a.npy");
        NpyWriter.Write(path, [0.5f, -1.25f, 3f], 3);
        var (code, output) = Repository.Python(TimeSpan.FromMinutes(1), "-c",
            $"import numpy as np; a = np.load('{path}'); print(a.dtype, a.shape, a.tolist())");
        Assert.True(code == 0, output);
        Assert.Equal("float32 (3,) [0.5, -1.25, 3.0]", output.Trim());
    }
}
