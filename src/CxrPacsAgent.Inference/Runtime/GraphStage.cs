using Microsoft.ML.OnnxRuntime;

namespace CxrPacsAgent.Inference.Runtime;

/// <summary>One ONNX graph of a package's chain, with the shape facts the chain needs.</summary>
internal sealed class GraphStage : IDisposable
{
    /// <param name="output">The tensor handed to the next graph; null: the graph's first output.</param>
    public GraphStage(string path, InferenceSession session, string? output = null)
    {
        Path = path;
        Session = session;
        OutputName = output ?? session.OutputNames[0];
        var input = session.InputMetadata.Single();
        InputName = input.Key;
        InputDims = input.Value.Dimensions;
        // CNTK exports (the NuGet ResNet18) fix the batch at 1: such graphs are run one sample at a time.
        FixedBatchOne = InputDims.Length > 0 && InputDims[0] == 1;
    }

    public string Path { get; }

    public InferenceSession Session { get; }

    public string InputName { get; }

    /// <summary>What this graph hands on when it is not the last one.</summary>
    public string OutputName { get; }

    public int[] InputDims { get; }

    public bool FixedBatchOne { get; }

    /// <summary>Elements per sample of the input, or -1 when a non-batch dimension is symbolic.</summary>
    public long InputPerSample => PerSample(InputDims);

    public static long PerSample(int[] dims)
    {
        long n = 1;
        for (var i = 1; i < dims.Length; i++)
        {
            if (dims[i] <= 0)
            {
                return -1;
            }
            n *= dims[i];
        }
        return n;
    }

    /// <summary>Input shape for a batch of <paramref name="batch"/> samples of <paramref name="perSample"/> elements.</summary>
    public long[] InputShape(int batch, long perSample)
    {
        var shape = InputDims.Select(d => (long)d).ToArray();
        shape[0] = batch;
        var known = 1L;
        var unknown = -1;
        for (var i = 1; i < shape.Length; i++)
        {
            if (shape[i] > 0)
            {
                known *= shape[i];
            }
            else
            {
                unknown = i;
            }
        }
        if (unknown > 0)
        {
            shape[unknown] = perSample / known;
        }
        return shape;
    }

    public void Dispose() => Session.Dispose();
}
