using Npgsql;

namespace CxrPacsAgent.Retrieval.Storage.Postgres;

/// <summary>
/// The library's tables in the database several agents share. Rows are read by the order they became visible, not by
/// id: an id is taken when a row is inserted, so a transaction that took id 5 can commit after one that took id 6, and
/// an index that had read up to 6 would never see 5. So each entry and removal also gets <c>seq</c> at commit, from a
/// deferred trigger that takes a transaction advisory lock first: commits that add rows pass the lock one at a time,
/// and <c>seq</c> grows in the order rows become visible. The same trigger sends a NOTIFY, delivered at commit.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The NOTIFY channel; the payload is the model's id.</summary>
    public const string Channel = "cxr_retrieval";

    /// <summary>Advisory lock keys: migrations, and the commit order of rows ("cxrretr", "cxrrseq").</summary>
    private const long MigrationLock = 0x0063_7872_7265_7472;

    private const long SequenceLock = 0x0063_7872_7273_6571;

    private static readonly string CreateVersion1 = $$"""
        CREATE TABLE retrieval_models (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL,
            version text NOT NULL,
            dimensions integer NOT NULL CHECK (dimensions > 0),
            registered_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (name, version));
        CREATE SEQUENCE retrieval_commit_seq;
        CREATE TABLE retrieval_entries (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            seq bigint,
            model_id bigint NOT NULL REFERENCES retrieval_models (id),
            sop_instance_uid text NOT NULL,
            series_instance_uid text NOT NULL,
            study_instance_uid text NOT NULL,
            accession_number text,
            patient_key text,
            acquired_at timestamp,
            view_position text,
            score real NOT NULL,
            model_label text,
            reference_label text,
            reference_source text,
            added_at timestamptz NOT NULL DEFAULT now(),
            embedding bytea NOT NULL,
            UNIQUE (model_id, sop_instance_uid));
        CREATE INDEX retrieval_entries_by_seq ON retrieval_entries (model_id, seq);
        CREATE INDEX retrieval_entries_by_sop ON retrieval_entries (sop_instance_uid);
        CREATE TABLE retrieval_images (
            sop_instance_uid text PRIMARY KEY,
            reembedding_image bytea,
            reembedding_media_type text,
            thumbnail bytea,
            thumbnail_media_type text);
        CREATE TABLE retrieval_removals (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            seq bigint,
            model_id bigint NOT NULL REFERENCES retrieval_models (id),
            entry_id bigint NOT NULL,
            removed_at timestamptz NOT NULL DEFAULT now());
        CREATE INDEX retrieval_removals_by_seq ON retrieval_removals (model_id, seq);
        CREATE FUNCTION retrieval_commit_order() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            PERFORM pg_advisory_xact_lock({{SequenceLock}});
            EXECUTE format('UPDATE %I SET seq = nextval(''retrieval_commit_seq'') WHERE id = $1', TG_TABLE_NAME) USING NEW.id;
            PERFORM pg_notify('{{Channel}}', NEW.model_id::text);
            RETURN NULL;
        END
        $body$;
        CREATE CONSTRAINT TRIGGER retrieval_entries_commit_order AFTER INSERT ON retrieval_entries
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION retrieval_commit_order();
        CREATE CONSTRAINT TRIGGER retrieval_removals_commit_order AFTER INSERT ON retrieval_removals
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION retrieval_commit_order();
        """;

    /// <summary>2: each entry's SOP Class UID, so a report can reference the earlier image in the PACS (null for pictures).</summary>
    private const string UpgradeToVersion2 = "ALTER TABLE retrieval_entries ADD COLUMN sop_class_uid text;";

    /// <summary>Creates or upgrades the tables (one agent at a time); refuses a schema newer than this code.</summary>
    public static Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresMigrator.UpgradeAsync(connection, MigrationLock, "retrieval_schema", [CreateVersion1, UpgradeToVersion2],
            (found, known) => new RetrievalException(RetrievalError.SchemaTooNew,
                $"the database's retrieval tables are at schema version {found}; this agent knows up to {known}: upgrade the agent"),
            cancellationToken);
}
