namespace CxrPacsAgent.Inference.Runtime;

/// <summary>Where ONNX Runtime runs the graphs.</summary>
public enum ExecutionDevice
{
    Cpu,
    /// <summary>CUDA execution provider (Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0, CUDA 13 + cuDNN 9); falls back to CPU.</summary>
    Cuda,
}

/// <summary>Runtime settings, bound from configuration ("Inference" section).</summary>
public sealed record InferenceOptions
{
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;
    public int CudaDeviceId { get; init; }
    /// <summary>Threads inside one operator; 0 lets ONNX Runtime choose (all cores).</summary>
    public int IntraOpThreads { get; init; }
}
