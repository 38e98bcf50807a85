using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.State.Postgres;
using CxrPacsAgent.Worker.State.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Hosting;

/// <summary>The state store <c>State:Provider</c> names: SQLite under <c>Storage:Root</c>, or the shared PostgreSQL database.</summary>
internal static class StateProvider
{
    public static IStateStore Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<StateOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        if (!options.IsPostgreSql)
        {
            return new SqliteStateStore(services.GetRequiredService<AgentPaths>().Database, time);
        }
        var metrics = services.GetRequiredService<AgentMetrics>();
        return new PostgresStateStore(options.ConnectionString, options.Lease, time,
            services.GetRequiredService<ILoggerFactory>().CreateLogger<PostgresStateStore>(),
            refused => metrics.FencedWrites.WithLabels(refused.Kind).Inc());
    }
}
