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
    public async Task A_database_an_agent_of_schema_1_left_is_upgraded_with_its_jobs_kept()
    {
        var path = Path.Combine(folder.Path, "old", "agent.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            SqliteSchema.Upgrade(connection, 1);
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO jobs (sop_instance_uid, sop_class_uid, transfer_syntax_uid, spool_file, content_hash, length, calling_ae,
                    version, state, times_received, received_at, updated_at, score, label, threshold, model, model_version, embedding, lossy_source)
                VALUES ('1.2.3.4', '1.2.840.10008.5.1.4.1.1.1.1', '1.2.840.10008.1.2.1', 'a.dcm', 'h', 1, 'ROUTER', 1, 10, 1, 1000, 2000,
                    0.5, 'NORMAL', 0.5, 'm', '1', x'0000803f', 0)
                """;
            await insert.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();
        var store = new SqliteStateStore(path, Time);
        await store.InitializeAsync();
        var job = (await store.FindAsync("1.2.3.4"))!;
        Assert.Equal((JobState.Completed, 0.5f, (DateTimeOffset?)null, (DateTimeOffset?)null), (job.State, job.Score!.Score, job.ScoredAt, job.ReportedAt));
        await store.RecordAuditAsync(new AuditEntry(Time.GetUtcNow(), "admin", "sign-in", "admin page", "done", "127.0.0.1"));
        Assert.Single(await store.AuditAsync(10));
        Assert.Single(await store.ThroughputAsync(DateTimeOffset.FromUnixTimeMilliseconds(0), TimeSpan.FromHours(1), 1), b => b.Received == 1 && b.Scored == 0);
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

    [Fact]
    public async Task Sign_in_failures_that_aged_out_leave_the_file_at_the_next_failure()
    {
        var now = Time.GetUtcNow();
        foreach (var i in Enumerable.Range(0, 50))
        {
            await Store.RecordSignInFailureAsync(new SignInFailure([$"user-{i}", "client"], now, now.AddMinutes(-15), 5, now.AddMinutes(15), 1000));
        }
        // One failure per name; the address's were spent by the lockouts they caused.
        Assert.Equal((50L, 51L), await SignInRowsAsync());
        Time.Advance(TimeSpan.FromMinutes(16));
        now = Time.GetUtcNow();
        // The address's last lockout ended a minute ago: forgotten with the names.
        await Store.RecordSignInFailureAsync(new SignInFailure(["someone"], now, now.AddMinutes(-15), 5, now.AddMinutes(15), 1000));
        Assert.Equal((1L, 1L), await SignInRowsAsync());
    }

    /// <summary>The rows of sign_in_failures and sign_in_lockouts.</summary>
    private async Task<(long Failures, long Subjects)> SignInRowsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM sign_in_failures), (SELECT COUNT(*) FROM sign_in_lockouts)";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
