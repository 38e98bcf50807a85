using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace CxrPacsAgent.Inference.Runtime;

/// <summary>Creates ONNX Runtime sessions on the configured device, falling back to CPU (with a warning) when CUDA is unusable.</summary>
public sealed partial class SessionFactory(InferenceOptions options, ILogger logger)
{
    internal const string CudaProvider = "CUDAExecutionProvider";

    /// <summary>The device the last session was actually created on.</summary>
    public ExecutionDevice ActualDevice { get; private set; } = ExecutionDevice.Cpu;

    /// <summary>Lets tests stand in for the native provider list.</summary>
    internal Func<IReadOnlyCollection<string>> AvailableProviders { get; init; } = () => OrtEnv.Instance().GetAvailableProviders();

    /// <param name="output">An inner tensor to expose as an extra output (<see cref="InnerOutput"/>), or null.</param>
    public InferenceSession Create(string path, string? output = null)
    {
        var model = output is null ? null : InnerOutput.Expose(File.ReadAllBytes(path), output);
        if (options.Device == ExecutionDevice.Cuda)
        {
            var session = TryCreateCuda(path, model);
            if (session is not null)
            {
                ActualDevice = ExecutionDevice.Cuda;
                return session;
            }
        }
        ActualDevice = ExecutionDevice.Cpu;
        return Open(path, model, CpuOptions());
    }

    private static InferenceSession Open(string path, byte[]? model, SessionOptions so) =>
        model is null ? new InferenceSession(path, so) : new InferenceSession(model, so);

    private InferenceSession? TryCreateCuda(string path, byte[]? model)
    {
        if (!AvailableProviders().Contains(CudaProvider))
        {
            LogCudaFallback(logger, Path.GetFileName(path), "this ONNX Runtime build has no CUDA execution provider");
            return null;
        }
        SessionOptions? so = null;
        try
        {
            so = CpuOptions();
            so.AppendExecutionProvider_CUDA(options.CudaDeviceId);
            return Open(path, model, so);
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            // Typical causes: no driver, CUDA 13 / cuDNN 9 libraries not on the loader path.
            LogCudaFallback(logger, Path.GetFileName(path), e.Message);
            return null;
        }
        finally
        {
            so?.Dispose();
        }
    }

    private SessionOptions CpuOptions() => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        IntraOpNumThreads = options.IntraOpThreads,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "CUDA requested for {Graph} but unavailable ({Reason}); running on CPU")]
    private static partial void LogCudaFallback(ILogger logger, string graph, string reason);
}
