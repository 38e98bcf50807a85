using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Pipeline;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Observability;

/// <summary>
/// Ready means: the state store answers, the model is loaded, the listener accepts associations and the data folder
/// has more free space than <c>Storage:MinimumFreeSpaceMb</c> (below it every C-STORE is refused with A700).
/// </summary>
public sealed class ReadinessCheck(AgentReadiness readiness, IStateStore store, ModelHost model, AgentPaths paths,
    IOptions<StorageOptions> storage) : IHealthCheck
{
    public const string Tag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        if (!readiness.StoreReady || !await store.PingAsync(cancellationToken).ConfigureAwait(false))
        {
            problems.Add("the state store does not answer");
        }
        if (!model.IsLoaded)
        {
            problems.Add("the model is not loaded");
        }
        if (!readiness.Listening)
        {
            problems.Add("the DICOM listener is not accepting associations");
        }
        var free = FreeBytes(paths.Root);
        var minimum = storage.Value.MinimumFreeSpaceMb * 1024L * 1024L;
        if (free < minimum)
        {
            problems.Add($"{free / (1024 * 1024)} MB free under Storage:Root, below Storage:MinimumFreeSpaceMb");
        }
        var data = new Dictionary<string, object> { ["freeBytes"] = free };
        return problems.Count == 0
            ? HealthCheckResult.Healthy("ready", data)
            : HealthCheckResult.Unhealthy(string.Join("; ", problems), data: data);
    }

    private static long FreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
