namespace CxrPacsAgent.Inference.Runtime;

/// <summary>
/// Makes an inner tensor of an ONNX model a graph output, so ONNX Runtime can hand it on: the frozen NuGet ResNet18 is
/// shipped whole by NuGet, and a package that fine-tuned its last block needs the tensor before that block.
/// </summary>
/// <remarks>
/// ONNX files are protobuf, where a singular message field that appears twice is merged and repeated fields are
/// appended. So the model's bytes followed by one more <c>ModelProto.graph</c> (field 7) holding only one
/// <c>GraphProto.output</c> (field 12) — a <c>ValueInfoProto</c> with the name and float tensor type — parse as the
/// same model with one more output. The file on disk is never changed.
/// </remarks>
internal static class InnerOutput
{
    private const int ModelGraph = 7;
    private const int GraphOutput = 12;
    private const int ValueInfoName = 1;
    private const int ValueInfoType = 2;
    private const int TypeTensor = 1;
    private const int TensorElemType = 1;
    private const int Float = 1;

    public static byte[] Expose(byte[] model, string tensor)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(tensor);
        byte[] tensorType = [.. Key(TensorElemType, 0), .. Varint(Float)];
        byte[] valueInfo = [.. Field(ValueInfoName, System.Text.Encoding.UTF8.GetBytes(tensor)), .. Field(ValueInfoType, Field(TypeTensor, tensorType))];
        return [.. model, .. Field(ModelGraph, Field(GraphOutput, valueInfo))];
    }

    private static byte[] Field(int field, byte[] value) => [.. Key(field, 2), .. Varint((ulong)value.Length), .. value];

    private static byte[] Key(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
        return [.. bytes];
    }
}
