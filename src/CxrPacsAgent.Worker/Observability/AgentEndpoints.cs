using System.Text.Json;
using CxrPacsAgent.Worker.Pipeline;
using CxrPacsAgent.Worker.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace CxrPacsAgent.Worker.Observability;

/// <summary>The HTTP surface (loopback by default): /health, /health/live, /health/ready, /metrics, /status.</summary>
public static class AgentEndpoints
{
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var metrics = services.GetRequiredService<AgentMetrics>();
        var queries = services.GetRequiredService<IStateQueries>();
        var pipeline = services.GetRequiredService<PipelineService>();
        var readiness = services.GetRequiredService<AgentReadiness>();
        metrics.Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            foreach (var (queue, depth) in pipeline.QueueDepths())
            {
                metrics.QueueDepth.WithLabels(queue).Set(depth);
            }
            if (readiness.StoreReady)
            {
                metrics.Observe(await queries.CountsAsync(cancellationToken).ConfigureAwait(false));
            }
        });

        // Live: the process answers. Ready: it can take and process instances (ReadinessCheck).
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        var ready = new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadinessCheck.Tag), ResponseWriter = WriteJsonAsync };
        endpoints.MapHealthChecks("/health/ready", ready);
        endpoints.MapHealthChecks("/health", ready);
        endpoints.MapMetrics("/metrics", metrics.Registry);
        endpoints.MapGet("/status", async (StatusReport status, HttpContext context) =>
            TypedResults.Json(await status.BuildAsync(context.RequestAborted).ConfigureAwait(false)));
        return endpoints;
    }

    private static Task WriteJsonAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
