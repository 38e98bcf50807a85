using CxrPacsAgent.Retrieval.Storage.Postgres;
using Npgsql;

namespace CxrPacsAgent.Worker.State.Postgres;

/// <summary>
/// The shared store's tables and their versions. Agents starting together on an empty database migrate one at a time:
/// each takes a session advisory lock first, so exactly one creates the schema and the others find it made.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The advisory lock key of schema migrations ("cxrschm" as an integer; any constant unique to us).</summary>
    public const long MigrationLock = 0x0063_7872_7363_686d;

    /// <summary>Each entry upgrades the schema by one version; never edit one that has shipped, add the next.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE jobs (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            sop_instance_uid text NOT NULL UNIQUE,
            sop_class_uid text NOT NULL,
            transfer_syntax_uid text NOT NULL,
            spool_file text NOT NULL,
            spool_released boolean NOT NULL DEFAULT false,
            content_hash text NOT NULL,
            length bigint NOT NULL,
            calling_ae text NOT NULL,
            version integer NOT NULL,
            state integer NOT NULL,
            reason text,
            detail text,
            times_received integer NOT NULL,
            received_at bigint NOT NULL,
            updated_at bigint NOT NULL,
            score real,
            label text,
            threshold double precision,
            model text,
            model_version text,
            embedding bytea,
            lossy_source boolean,
            similar_studies text,
            calibrated boolean,
            ood_distance double precision,
            ood_threshold double precision,
            scored_at bigint,
            reported_at bigint,
            claimed_by text,
            fence bigint NOT NULL DEFAULT 0,
            lease_until timestamptz
        );
        CREATE INDEX jobs_state ON jobs (state, id);
        CREATE INDEX jobs_updated ON jobs (updated_at);
        CREATE INDEX jobs_received ON jobs (received_at);
        CREATE INDEX jobs_claimed ON jobs (claimed_by) WHERE claimed_by IS NOT NULL;
        CREATE TABLE outbox (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            job_id bigint NOT NULL REFERENCES jobs (id),
            job_version integer NOT NULL,
            destination text NOT NULL,
            file text NOT NULL,
            sop_instance_uid text NOT NULL,
            sop_class_uid text NOT NULL,
            state integer NOT NULL,
            attempts integer NOT NULL DEFAULT 0,
            created_at bigint NOT NULL,
            next_attempt_at bigint NOT NULL,
            settled_at bigint,
            last_error text,
            file_released boolean NOT NULL DEFAULT false,
            claimed_by text,
            fence bigint NOT NULL DEFAULT 0,
            lease_until timestamptz
        );
        CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
        CREATE INDEX outbox_job ON outbox (job_id);
        CREATE INDEX outbox_file ON outbox (file);
        CREATE INDEX outbox_settled ON outbox (settled_at);
        CREATE TABLE daily_statistics (
            day text PRIMARY KEY,
            statistics text NOT NULL
        );
        CREATE TABLE audit (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at bigint NOT NULL,
            user_name text NOT NULL,
            action text NOT NULL,
            target text NOT NULL,
            outcome text NOT NULL,
            client text NOT NULL
        );
        CREATE TABLE agents (
            agent_id text PRIMARY KEY,
            started_at timestamptz NOT NULL,
            heartbeat_at timestamptz NOT NULL
        );
        """,
        // 2: the admin page's accession hash and thumbnail, processing failures an administrator cancelled, and each
        // agent's model package.
        """
        ALTER TABLE jobs ADD COLUMN accession_key text;
        ALTER TABLE jobs ADD COLUMN failure_cancelled_at bigint;
        CREATE TABLE job_thumbnails (
            job_id bigint PRIMARY KEY REFERENCES jobs (id),
            version integer NOT NULL,
            png bytea NOT NULL
        );
        ALTER TABLE agents ADD COLUMN model text;
        """,
        // 3: the admin sign-in lockout, shared by the site's agents (subjects are hashes of a user name or a client address).
        """
        CREATE TABLE sign_in_failures (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            subject text NOT NULL,
            at bigint NOT NULL
        );
        CREATE INDEX sign_in_failures_subject ON sign_in_failures (subject, at);
        CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
        CREATE TABLE sign_in_lockouts (
            subject text PRIMARY KEY,
            locked_until bigint NOT NULL
        );
        """,
    ];

    /// <summary>Applies the migrations the database lacks, under the migration lock, in one transaction.</summary>
    public static Task UpgradeAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresMigrator.UpgradeAsync(connection, MigrationLock, "agent_schema", Migrations, (found, known) => new InvalidOperationException(
            $"the state database has schema version {found}, newer than this agent's {known}: upgrade the agent, or restore the backup taken before the upgrade"),
            cancellationToken);
}
