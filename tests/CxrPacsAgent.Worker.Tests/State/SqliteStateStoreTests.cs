using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.State.Sqlite;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace CxrPacsAgent.Worker.Tests.State;

/// <summary>The state store contract on SQLite, and what is particular to the file: WAL, reopening, schema versions.</summary>
public sealed class SqliteStateStoreTests : StateStoreContract
{
    private readonly TempFolder folder = new("sqlite");

    private string DatabasePath => Path.Combine(folder.Path, "state", "agent.db");

    protected override Task<IStateStore> CreateStoreAsync(FakeTimeProvider time) =>
        Task.FromResult<IStateStore>(new SqliteStateStore(DatabasePath, time));

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task What_was_recorded_is_there_after_reopening_and_the_file_is_in_WAL_mode()
    {
        var job = (await Store.RecordReceivedAsync(Instance())).Job;
        SqliteConnection.ClearAllPools();
        var reopened = new SqliteStateStore(DatabasePath, Time);
        await reopened.InitializeAsync();
        Assert.Equal(job, (await reopened.GetAsync(job.Id))!.Ref);
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_database_from_a_newer_agent_is_refused_rather_than_misread()
    {
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO agent_schema (version) VALUES (99)";
            await command.ExecuteNonQueryAsync();
        }
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new SqliteStateStore(DatabasePath, Time).InitializeAsync());
        Assert.Contains("schema version 99", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unusable_database_path_fails_with_a_database_error()
    {
        var store = new SqliteStateStore(folder.Sub("a-folder-not-a-file"), Time);
        await Assert.ThrowsAnyAsync<SqliteException>(() => store.InitializeAsync());
        Assert.False(await store.PingAsync());
    }
}
