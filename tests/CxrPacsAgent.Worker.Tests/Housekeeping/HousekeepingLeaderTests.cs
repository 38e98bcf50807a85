using CxrPacsAgent.Testing;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Housekeeping;
using CxrPacsAgent.Worker.Observability;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CxrPacsAgent.Worker.Tests.Housekeeping;

/// <summary>One housekeeping leader among agents sharing a database, and a new one as soon as the leader's session ends.</summary>
[Collection(PostgresCluster.Collection)]
public sealed class HousekeepingLeaderTests(PostgresCluster cluster)
{
    [Fact]
    public async Task One_agent_leads_and_another_takes_over_when_its_session_ends()
    {
        var database = await cluster.CreateDatabaseAsync();
        var options = Options.Create(new StateOptions { Provider = StateOptions.PostgreSql, ConnectionString = database });
        var (metricsA, metricsB) = (new AgentMetrics(), new AgentMetrics());
        await using var a = new HousekeepingLeader(options, metricsA, NullLogger<HousekeepingLeader>.Instance);
        await using var b = new HousekeepingLeader(options, metricsB, NullLogger<HousekeepingLeader>.Instance);

        Assert.True(await a.IsLeaderAsync());
        Assert.False(await b.IsLeaderAsync());
        Assert.True(await a.IsLeaderAsync());
        Assert.Equal((1.0, 0.0), (metricsA.HousekeepingLeader.Value, metricsB.HousekeepingLeader.Value));

        // The leader's session dies (the agent was killed or cut off): the server drops its lock with it.
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var kill = new NpgsqlCommand(
                $"SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = {HousekeepingLeader.LeaderLock & 0xffffffff}",
                connection);
            Assert.Equal(true, await kill.ExecuteScalarAsync());
        }
        // pg_terminate_backend signals the session; it ends (and drops the lock) a moment later.
        var leads = false;
        for (var i = 0; i < 50 && !(leads = await b.IsLeaderAsync()); i++)
        {
            await Task.Delay(100);
        }
        Assert.True(leads);
        Assert.False(await a.IsLeaderAsync());
        Assert.Equal((0.0, 1.0), (metricsA.HousekeepingLeader.Value, metricsB.HousekeepingLeader.Value));
    }
}
