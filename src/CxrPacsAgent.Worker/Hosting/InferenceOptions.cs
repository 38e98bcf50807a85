using CxrPacsAgent.Inference.Runtime;

namespace CxrPacsAgent.Worker.Hosting;

/// <summary>The model and where it runs (section <c>Inference</c>).</summary>
public sealed class InferenceOptions : IValidatedOptions
{
    public const string Section = "Inference";

    /// <summary>The model package folder; empty means the package shipped with the agent.</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>cpu or cuda (falls back to the CPU with a warning when CUDA cannot start).</summary>
    public ExecutionDevice Device { get; set; } = ExecutionDevice.Cpu;

    public int CudaDeviceId { get; set; }

    /// <summary>Threads inside one operator; 0 lets ONNX Runtime use every core.</summary>
    public int IntraOpThreads { get; set; }

    public IEnumerable<string> Validate()
    {
        return new[]
        {
            ModelPath.Length == 0 || Directory.Exists(ModelPath) ? null : $"Inference:ModelPath: '{ModelPath}' is not a folder",
            Enum.IsDefined(Device) ? null : $"Inference:Device: '{Device}' is not cpu or cuda",
            OptionChecks.Range("Inference:CudaDeviceId", CudaDeviceId, 0, 64),
            OptionChecks.Range("Inference:IntraOpThreads", IntraOpThreads, 0, 1024),
        }.OfType<string>();
    }

    /// <summary>The runtime's own settings.</summary>
    public Inference.Runtime.InferenceOptions ToRuntime() =>
        new() { Device = Device, CudaDeviceId = CudaDeviceId, IntraOpThreads = IntraOpThreads };
}
