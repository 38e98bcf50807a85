using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.Pipeline;
using CxrPacsAgent.Worker.Pipeline.Stages;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CxrPacsAgent.Worker.Hosting;

/// <summary>
/// First of the hosted services: creates the folders, opens (and upgrades) the state store, loads the model and opens
/// what the similar-study library needs at once, so a problem with any stops start-up before the listener accepts anything.
/// </summary>
public sealed partial class StartupService(AgentPaths paths, IStateStore store, ModelHost model, ComputeScheduler compute,
    AgentReadiness readiness, ILogger<StartupService> logger, ISimilarStudyIndex? library = null) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            paths.CreateFolders();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Storage:Root: cannot create the data folders under '{paths.Root}': {e.Message}", e) { ExitCode = 2 };
        }
        try
        {
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            throw new StartupException($"Storage:Root: the state database cannot be opened: {e.Message}", e);
        }
        readiness.StoreReady = true;
        try
        {
            // On a compute thread, so the inference threads ONNX Runtime starts share its lower priority.
            await compute.RunAsync(() => { model.Load(); return true; }, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelPackageException e)
        {
            throw new StartupException($"Inference:ModelPath: {e.Message}", e) { ExitCode = 4 };
        }
        if (library is not null)
        {
            await library.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }
        LogStarted(paths.Root, model.Manifest.Name, model.Manifest.Version, model.Model.Device.ToString());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Data in {Root}; model {Model} {Version} on {Device}")]
    private partial void LogStarted(string root, string model, string version, string device);
}
