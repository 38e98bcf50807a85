using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Inference.Tests.Runtime;

/// <summary>CUDA when configured; on a machine without it, CPU with one warning per graph — and the same results.</summary>
public sealed class CudaFallbackTests
{
    [Fact]
    public void Cuda_requested_on_a_cpu_build_falls_back_with_a_warning()
    {
        var logger = new CapturingLogger();
        var folder = TestPackages.Create();
        using var model = CxrModel.Load(folder, new InferenceOptions { Device = ExecutionDevice.Cuda }, logger);
        Assert.Equal(ExecutionDevice.Cpu, model.Device);
        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("CUDA", warning.Message, StringComparison.Ordinal);
        Assert.Contains("model.onnx", warning.Message, StringComparison.Ordinal);

        using var cpu = CxrModel.Load(folder, new InferenceOptions(), NullLogger.Instance);
        var input = TestPackages.RandomInput(2, seed: 3);
        Assert.Equal(cpu.Run(input, 2).Scores, model.Run(input, 2).Scores);
    }

    [Fact]
    public void Cuda_listed_but_unloadable_also_falls_back()
    {
        // The provider is claimed available (as on a GPU build without a driver): appending it fails, and the factory recovers.
        var logger = new CapturingLogger();
        var factory = new SessionFactory(new InferenceOptions { Device = ExecutionDevice.Cuda }, logger)
        {
            AvailableProviders = () => [SessionFactory.CudaProvider, "CPUExecutionProvider"],
        };
        using var model = CxrModel.Load(Inference.Packages.ModelPackage.Load(TestPackages.Create()), factory);
        Assert.Equal(ExecutionDevice.Cpu, model.Device);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("running on CPU", StringComparison.Ordinal));
    }

    [Fact]
    public void Cpu_configured_logs_nothing()
    {
        var logger = new CapturingLogger();
        using var model = CxrModel.Load(TestPackages.Create(), new InferenceOptions(), logger);
        Assert.Empty(logger.Entries);
        Assert.Equal(ExecutionDevice.Cpu, model.Device);
    }
}
