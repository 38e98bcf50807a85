using Npgsql;

namespace CxrPacsAgent.Retrieval.Storage.Postgres;

/// <summary>
/// Applies numbered schema migrations to a PostgreSQL database that several agents share. Agents starting together on
/// an empty database migrate one at a time: each takes a session advisory lock first, so exactly one creates the schema
/// and the others find it made. Each component (the library here, the agent's state) keeps its version in a table of its
/// own, so they share one database without sharing a version. It lives here because the library is the lowest layer
/// that talks to PostgreSQL; the agent's state store uses it too.
/// </summary>
public static class PostgresMigrator
{
    /// <param name="lockKey">The component's advisory lock key (any constant unique to it).</param>
    /// <param name="versionTable">The component's version table (one integer column, <c>version</c>; a row per applied migration).</param>
    /// <param name="migrations">Entry <c>i</c> upgrades version <c>i</c> to <c>i + 1</c>; never edit one that has shipped, add the next.</param>
    /// <param name="tooNew">The error for a database migrated by newer code: given the database's version and ours.</param>
    public static async Task UpgradeAsync(NpgsqlConnection connection, long lockKey, string versionTable, IReadOnlyList<string> migrations,
        Func<int, int, Exception> tooNew, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(tooNew);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({lockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, $"CREATE TABLE IF NOT EXISTS {versionTable} (version integer NOT NULL)", cancellationToken)
                .ConfigureAwait(false);
            await using var read = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {versionTable}", connection, transaction);
            var version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                System.Globalization.CultureInfo.InvariantCulture);
            if (version > migrations.Count)
            {
                throw tooNew(version, migrations.Count);
            }
            for (var v = version; v < migrations.Count; v++)
            {
                await ExecuteAsync(connection, transaction, migrations[v], cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, $"INSERT INTO {versionTable} (version) VALUES ({v + 1})", cancellationToken)
                    .ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({lockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
