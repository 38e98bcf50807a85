using Microsoft.Data.Sqlite;

namespace CxrPacsAgent.Retrieval.Storage.Sqlite;

/// <summary>
/// The retrieval tables of the agent's state database. They share the file with the service's own tables, so every
/// name starts with <c>retrieval_</c> and the schema version is a row of <c>retrieval_schema</c>, never the file's
/// <c>user_version</c>. Images sit in their own table, one row per SOP Instance UID shared by every model's entry of
/// that image (a re-embedded library adds embeddings, not images), and scanning embeddings never pages through blobs.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 2;

    private const string CreateVersion1 = """
        CREATE TABLE retrieval_models (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            version TEXT NOT NULL,
            dimensions INTEGER NOT NULL CHECK (dimensions > 0),
            registered_at TEXT NOT NULL,
            UNIQUE (name, version));
        CREATE TABLE retrieval_entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            model_id INTEGER NOT NULL REFERENCES retrieval_models (id),
            sop_instance_uid TEXT NOT NULL,
            series_instance_uid TEXT NOT NULL,
            study_instance_uid TEXT NOT NULL,
            accession_number TEXT,
            patient_key TEXT,
            acquired_at TEXT,
            view_position TEXT,
            score REAL NOT NULL,
            model_label TEXT,
            reference_label TEXT,
            reference_source TEXT,
            added_at TEXT NOT NULL,
            embedding BLOB NOT NULL,
            UNIQUE (model_id, sop_instance_uid));
        CREATE INDEX retrieval_entries_by_model ON retrieval_entries (model_id, id);
        CREATE INDEX retrieval_entries_by_sop ON retrieval_entries (sop_instance_uid);
        CREATE TABLE retrieval_images (
            sop_instance_uid TEXT PRIMARY KEY,
            reembedding_image BLOB,
            reembedding_media_type TEXT,
            thumbnail BLOB,
            thumbnail_media_type TEXT);
        CREATE TABLE retrieval_removals (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            model_id INTEGER NOT NULL REFERENCES retrieval_models (id),
            entry_id INTEGER NOT NULL,
            removed_at TEXT NOT NULL);
        CREATE INDEX retrieval_removals_by_model ON retrieval_removals (model_id, id);
        """;

    /// <summary>2: each entry's SOP Class UID, so a report can reference the earlier image in the PACS (null for pictures).</summary>
    private const string UpgradeToVersion2 = "ALTER TABLE retrieval_entries ADD COLUMN sop_class_uid TEXT;";

    /// <summary>Creates the tables on first use; refuses a database whose retrieval schema is newer than this code.</summary>
    public static void Ensure(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS retrieval_schema (version INTEGER NOT NULL)";
            create.ExecuteNonQuery();
        }
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT max(version) FROM retrieval_schema";
        var found = read.ExecuteScalar() is long v ? (int)v : 0;
        if (found > Version)
        {
            throw new RetrievalException(RetrievalError.SchemaTooNew,
                $"the database's retrieval tables are at schema version {found}; this agent knows up to {Version}: upgrade the agent");
        }
        if (found < 1)
        {
            using var create = connection.CreateCommand();
            create.CommandText = CreateVersion1 + "INSERT INTO retrieval_schema (version) VALUES (1);";
            create.ExecuteNonQuery();
        }
        if (found < 2)
        {
            using var upgrade = connection.CreateCommand();
            upgrade.CommandText = UpgradeToVersion2 + "INSERT INTO retrieval_schema (version) VALUES (2);";
            upgrade.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
