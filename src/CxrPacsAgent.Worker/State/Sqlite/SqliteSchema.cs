using Microsoft.Data.Sqlite;

namespace CxrPacsAgent.Worker.State.Sqlite;

/// <summary>
/// The agent's tables and their versions. The database file may hold other components' tables too (the similar-study
/// index keeps its own), so the version lives in a table of ours rather than in PRAGMA user_version.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Each entry upgrades the schema by one version; never edit one that has shipped, add the next.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            sop_instance_uid TEXT NOT NULL UNIQUE,
            sop_class_uid TEXT NOT NULL,
            transfer_syntax_uid TEXT NOT NULL,
            spool_file TEXT NOT NULL,
            spool_released INTEGER NOT NULL DEFAULT 0,
            content_hash TEXT NOT NULL,
            length INTEGER NOT NULL,
            calling_ae TEXT NOT NULL,
            version INTEGER NOT NULL,
            state INTEGER NOT NULL,
            reason TEXT,
            detail TEXT,
            times_received INTEGER NOT NULL,
            received_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            score REAL,
            label TEXT,
            threshold REAL,
            model TEXT,
            model_version TEXT,
            embedding BLOB,
            lossy_source INTEGER,
            similar_studies TEXT
        );
        CREATE INDEX jobs_state ON jobs (state, id);
        CREATE INDEX jobs_updated ON jobs (updated_at);
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id INTEGER NOT NULL REFERENCES jobs (id),
            job_version INTEGER NOT NULL,
            destination TEXT NOT NULL,
            file TEXT NOT NULL,
            sop_instance_uid TEXT NOT NULL,
            sop_class_uid TEXT NOT NULL,
            state INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            settled_at INTEGER,
            last_error TEXT,
            file_released INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
        CREATE INDEX outbox_job ON outbox (job_id);
        CREATE INDEX outbox_file ON outbox (file);
        CREATE TABLE daily_statistics (
            day TEXT PRIMARY KEY,
            statistics TEXT NOT NULL
        );
        """,
        // 2: the calibration and out-of-distribution measure of each score.
        """
        ALTER TABLE jobs ADD COLUMN calibrated INTEGER;
        ALTER TABLE jobs ADD COLUMN ood_distance REAL;
        ALTER TABLE jobs ADD COLUMN ood_threshold REAL;
        """,
        // 3: stage times for the admin page's timeline, and its audit log.
        """
        ALTER TABLE jobs ADD COLUMN scored_at INTEGER;
        ALTER TABLE jobs ADD COLUMN reported_at INTEGER;
        CREATE INDEX jobs_received ON jobs (received_at);
        CREATE INDEX outbox_settled ON outbox (settled_at);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            user TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            outcome TEXT NOT NULL,
            client TEXT NOT NULL
        );
        """,
        // 4: the audit log's user column named as PostgreSQL's (where USER is a reserved word), so both run one statement.
        "ALTER TABLE audit RENAME COLUMN user TO user_name;",
        // 5: the admin page's accession hash and thumbnail, and processing failures an administrator cancelled.
        """
        ALTER TABLE jobs ADD COLUMN accession_key TEXT;
        ALTER TABLE jobs ADD COLUMN failure_cancelled_at INTEGER;
        CREATE TABLE job_thumbnails (
            job_id INTEGER PRIMARY KEY REFERENCES jobs (id),
            version INTEGER NOT NULL,
            png BLOB NOT NULL
        );
        """,
        // 6: the admin sign-in lockout, kept across restarts (subjects are hashes of a user name or a client address).
        """
        CREATE TABLE sign_in_failures (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            subject TEXT NOT NULL,
            at INTEGER NOT NULL
        );
        CREATE INDEX sign_in_failures_subject ON sign_in_failures (subject, at);
        CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
        CREATE TABLE sign_in_lockouts (
            subject TEXT PRIMARY KEY,
            locked_until INTEGER NOT NULL
        );
        """,
    ];

    public static int CurrentVersion => Migrations.Length;

    /// <summary>Applies the migrations the database lacks, in one transaction.</summary>
    public static void Upgrade(SqliteConnection connection) => Upgrade(connection, CurrentVersion);

    /// <summary>Upgrades to <paramref name="target"/> only: how the tests make a database as an older agent left it.</summary>
    internal static void Upgrade(SqliteConnection connection, int target)
    {
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS agent_schema (version INTEGER NOT NULL)");
        using var transaction = connection.BeginTransaction();
        var version = Convert.ToInt32(Scalar(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM agent_schema"),
            System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"the state database has schema version {version}, newer than this agent's {CurrentVersion}: upgrade the agent, or restore the backup taken before the upgrade");
        }
        for (var v = version; v < target; v++)
        {
            Execute(connection, transaction, Migrations[v]);
            Execute(connection, transaction, $"INSERT INTO agent_schema (version) VALUES ({v + 1})");
        }
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
