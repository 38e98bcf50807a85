using CxrPacsAgent.Testing;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.State.Postgres;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CxrPacsAgent.Worker.Tests.State.Postgres;

/// <summary>The state store contract on PostgreSQL (a database of its own per test), and the schema's migration.</summary>
[Collection(PostgresCluster.Collection)]
public sealed class PostgresStateStoreTests(PostgresCluster cluster) : StateStoreContract
{
    private readonly List<PostgresStateStore> stores = [];

    protected override async Task<IStateStore> CreateStoreAsync(FakeTimeProvider time)
    {
        var store = new PostgresStateStore(await cluster.CreateDatabaseAsync(), TimeSpan.FromSeconds(30), time);
        stores.Add(store);
        return store;
    }

    public override async Task DisposeAsync()
    {
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Agents_starting_together_on_an_empty_database_end_with_one_schema()
    {
        var database = await cluster.CreateDatabaseAsync();
        var agents = Enumerable.Range(0, 4).Select(_ => new PostgresStateStore(database, TimeSpan.FromSeconds(30))).ToList();
        stores.AddRange(agents);
        await Task.WhenAll(agents.Select(a => Task.Run(() => a.InitializeAsync())));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT string_agg(version::text, ',' ORDER BY version) FROM agent_schema", connection);
        Assert.Equal("1,2,3", await command.ExecuteScalarAsync());
        Assert.Equal(4, (await agents[0].AgentsAsync()).Count);
    }

    [Fact]
    public async Task A_database_from_a_newer_agent_is_refused_rather_than_misread()
    {
        var database = await cluster.CreateDatabaseAsync();
        var store = new PostgresStateStore(database, TimeSpan.FromSeconds(30));
        stores.Add(store);
        await store.InitializeAsync();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("INSERT INTO agent_schema (version) VALUES (99)", connection);
            await command.ExecuteNonQueryAsync();
        }
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync());
        Assert.Contains("schema version 99", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_fails_with_a_database_error()
    {
        var store = new PostgresStateStore(cluster.ConnectionString("no_such_database"), TimeSpan.FromSeconds(30));
        stores.Add(store);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.InitializeAsync());
        Assert.False(await store.PingAsync());
    }
}
