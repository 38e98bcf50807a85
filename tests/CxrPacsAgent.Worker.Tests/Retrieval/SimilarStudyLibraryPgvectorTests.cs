using CxrPacsAgent.Retrieval.Storage.Postgres;
using CxrPacsAgent.Testing;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Npgsql;

namespace CxrPacsAgent.Worker.Tests.Retrieval;

/// <summary>
/// <c>Retrieval:Search</c> = <c>pgvector</c>: the service searches the shared library inside PostgreSQL. Where the
/// server has no pgvector (Debian 12 does not package it) the agent refuses to start and says why; where it has it,
/// each film finds the earlier ones through the database. Each test skips visibly on the server it does not apply to.
/// </summary>
[Collection(PostgresCluster.Collection)]
public sealed class SimilarStudyLibraryPgvectorTests(PostgresCluster cluster) : IDisposable
{
    private readonly TempFolder temp = new("library-pgvector");

    public void Dispose() => temp.Dispose();

    private static Dictionary<string, string?> Settings(string database) => new()
    {
        ["State:Provider"] = "postgresql", ["State:ConnectionString"] = database, ["Retrieval:Search"] = "pgvector",
    };

    [SkippableFact]
    public async Task Where_the_server_has_no_pgvector_the_agent_does_not_start_and_says_why()
    {
        var database = await cluster.CreateDatabaseAsync();
        Skip.If(await PgvectorSearch.ProbeAsync(database), "the server has pgvector: the search test covers it");
        var refused = await Assert.ThrowsAsync<StartupException>(() => AgentHarness.StartAsync(Settings(database)));
        Assert.StartsWith("Retrieval:Search: pgvector: the PostgreSQL server has no pgvector extension", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, refused.ExitCode);
    }

    [SkippableFact]
    public async Task Each_film_finds_the_earlier_ones_through_the_database_and_its_vectors_are_kept_there()
    {
        var database = await cluster.CreateDatabaseAsync();
        Skip.If(!await PgvectorSearch.ProbeAsync(database), PostgresCluster.PgvectorNotInstalled);
        var first = TestInstances.FrontalDx(temp.Path, film: 1, patientId: "PID-PGV-A");
        var second = TestInstances.FrontalDx(temp.Path, film: 2, patientId: "PID-PGV-B");
        var nearCopy = TestInstances.FrontalDx(temp.Path, film: 1, seed: 7, patientId: "PID-PGV-C");
        await using var agent = await AgentHarness.StartAsync(Settings(database));
        foreach (var film in new[] { first, second, nearCopy })
        {
            await agent.SendAsync(film);
            Assert.Equal(JobState.Completed, (await agent.WaitForAsync(TestInstances.SopInstanceUid(film))).State);
        }

        var similar = agent.Result(TestInstances.SopInstanceUid(nearCopy))["similarStudies"]!.AsObject();
        Assert.Null(similar["problem"]);
        var neighbours = similar["neighbours"]!.AsArray().Select(n => n!.AsObject()).ToList();
        Assert.Equal(2, neighbours.Count);
        Assert.Equal(TestInstances.SopInstanceUid(first), (string?)neighbours[0]["sopInstanceUid"]);
        Assert.True((double)neighbours[0]["similarity"]! > 0.99, $"similarity {neighbours[0]["similarity"]} to a noisy copy of the same film");

        // Every film has its row and its vector in the shared database.
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM retrieval_entries), (SELECT count(*) FROM retrieval_vectors v JOIN retrieval_entries e ON e.id = v.entry_id)", connection);
        await using var reader = await count.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((3L, 3L), (reader.GetInt64(0), reader.GetInt64(1)));
    }
}
