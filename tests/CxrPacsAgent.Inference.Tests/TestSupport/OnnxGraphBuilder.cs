using System.Text;

namespace CxrPacsAgent.Inference.Tests.TestSupport;

/// <summary>
/// Writes small ONNX models (protobuf by hand, ONNX IR 8, opset 17) so that package and runtime tests need no Python
/// and no committed binaries. Only what the tests use: float tensors, initializers, nodes with int attributes.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly List<byte[]> nodes = [];
    private readonly List<byte[]> initializers = [];
    private readonly List<byte[]> inputs = [];
    private readonly List<byte[]> outputs = [];

    /// <summary>Dims: a positive size, or 0 for the symbolic batch "N".</summary>
    public OnnxGraphBuilder Input(string name, params long[] dims)
    {
        inputs.Add(ValueInfo(name, dims));
        return this;
    }

    public OnnxGraphBuilder Output(string name, params long[] dims)
    {
        outputs.Add(ValueInfo(name, dims));
        return this;
    }

    public OnnxGraphBuilder Initializer(string name, float[] values, params long[] dims)
    {
        var t = new Proto();
        foreach (var d in dims) { t.Varint(1, (ulong)d); }
        t.Varint(2, 1); // FLOAT
        t.String(8, name);
        var raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        t.Bytes(9, raw);
        initializers.Add(t.ToArray());
        return this;
    }

    public OnnxGraphBuilder Node(string op, string[] nodeInputs, string[] nodeOutputs, params (string Name, long Value)[] attributes)
    {
        var n = new Proto();
        foreach (var i in nodeInputs) { n.String(1, i); }
        foreach (var o in nodeOutputs) { n.String(2, o); }
        n.String(3, $"{op}_{nodes.Count}");
        n.String(4, op);
        foreach (var (name, value) in attributes)
        {
            var a = new Proto();
            a.String(1, name);
            a.Varint(3, (ulong)value);
            a.Varint(20, 2); // AttributeType INT
            n.Message(5, a);
        }
        nodes.Add(n.ToArray());
        return this;
    }

    public byte[] Build()
    {
        var g = new Proto();
        foreach (var n in nodes) { g.Bytes(1, n); }
        g.String(2, "test");
        foreach (var i in initializers) { g.Bytes(5, i); }
        foreach (var i in inputs) { g.Bytes(11, i); }
        foreach (var o in outputs) { g.Bytes(12, o); }
        var opset = new Proto();
        opset.String(1, "");
        opset.Varint(2, 17);
        var m = new Proto();
        m.Varint(1, 8); // IR version 8
        m.String(2, "cxr-tests");
        m.Message(7, g);
        m.Message(8, opset);
        return m.ToArray();
    }

    public void Save(string path) => File.WriteAllBytes(path, Build());

    private static byte[] ValueInfo(string name, long[] dims)
    {
        var shape = new Proto();
        foreach (var d in dims)
        {
            var dim = new Proto();
            if (d > 0) { dim.Varint(1, (ulong)d); } else { dim.String(2, "N"); }
            shape.Message(1, dim);
        }
        var tensor = new Proto();
        tensor.Varint(1, 1);
        tensor.Message(2, shape);
        var type = new Proto();
        type.Message(1, tensor);
        var v = new Proto();
        v.String(1, name);
        v.Message(2, type);
        return v.ToArray();
    }

    /// <summary>Protobuf wire format: varints and length-delimited fields are all ONNX needs.</summary>
    private sealed class Proto
    {
        private readonly MemoryStream stream = new();

        public void Varint(int field, ulong value)
        {
            Key(field, 0);
            Raw(value);
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Message(int field, Proto message) => Bytes(field, message.ToArray());

        public void Bytes(int field, byte[] value)
        {
            Key(field, 2);
            Raw((ulong)value.Length);
            stream.Write(value);
        }

        public byte[] ToArray() => stream.ToArray();

        private void Key(int field, int wire) => Raw(((ulong)field << 3) | (uint)wire);

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            stream.WriteByte((byte)value);
        }
    }
}
