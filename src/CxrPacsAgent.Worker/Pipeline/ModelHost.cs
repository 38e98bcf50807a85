using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Worker.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Pipeline;

/// <summary>
/// The model package the service scores with (<c>Inference:ModelPath</c>, the shipped one by default), loaded once at
/// start-up; its ONNX sessions are shared by the preprocess (lung U-Net) and infer stages.
/// </summary>
public sealed class ModelHost(IOptions<Hosting.InferenceOptions> options, ILogger<ModelHost> logger) : IDisposable
{
    private CxrModel? model;
    private ModelInputBuilder? inputBuilder;

    public bool IsLoaded => model is not null;

    public CxrModel Model => model ?? throw new InvalidOperationException("the model is not loaded yet");

    public ModelInputBuilder InputBuilder => inputBuilder ?? throw new InvalidOperationException("the model is not loaded yet");

    public ModelManifest Manifest => Model.Manifest;

    /// <summary>The package folder in use.</summary>
    public string Folder => options.Value.ModelPath.Length == 0 ? DefaultModel.Folder : Path.GetFullPath(options.Value.ModelPath);

    /// <summary>Loads and validates the package.</summary>
    /// <exception cref="ModelPackageException">The package is unusable; the message names the problem.</exception>
    public void Load()
    {
        if (model is not null)
        {
            return;
        }
        var loaded = CxrModel.Load(Folder, options.Value.ToRuntime(), logger);
        inputBuilder = new ModelInputBuilder(loaded.Manifest, loaded.LungSegmenter);
        model = loaded;
    }

    public void Dispose() => model?.Dispose();
}
