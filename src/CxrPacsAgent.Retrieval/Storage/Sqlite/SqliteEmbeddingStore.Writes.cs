using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CxrPacsAgent.Retrieval.Storage.Sqlite;

/// <summary>Adding, replacing and removing entries: one transaction per call, removals recorded for the indexes.</summary>
public sealed partial class SqliteEmbeddingStore
{
    public Task<IReadOnlyList<UpsertResult>> UpsertAsync(StoredModel model, IReadOnlyList<LibraryEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            EntryChecks.Validate(model, entry);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<UpsertResult>>(Run(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var find = Command(connection, "SELECT id FROM retrieval_entries WHERE model_id = $model AND sop_instance_uid = $sop",
                ("$model", model.Id), ("$sop", ""));
            using var insert = Command(connection, """
                INSERT INTO retrieval_entries (model_id, sop_instance_uid, series_instance_uid, study_instance_uid, accession_number,
                    patient_key, acquired_at, view_position, score, model_label, reference_label, reference_source, added_at, embedding,
                    sop_class_uid)
                VALUES ($model, $sop, $series, $study, $accession, $patient, $acquired, $view, $score, $label, $reference, $source, $at, $embedding,
                    $class)
                RETURNING id
                """);
            // An entry without images keeps those another model's entry of the same image stored; one with images replaces them.
            using var images = Command(connection, """
                INSERT INTO retrieval_images (sop_instance_uid, reembedding_image, reembedding_media_type, thumbnail, thumbnail_media_type)
                VALUES ($sop, $image, $imageType, $thumbnail, $thumbnailType)
                ON CONFLICT (sop_instance_uid) DO UPDATE SET
                    reembedding_image = coalesce(excluded.reembedding_image, reembedding_image),
                    reembedding_media_type = coalesce(excluded.reembedding_media_type, reembedding_media_type),
                    thumbnail = coalesce(excluded.thumbnail, thumbnail),
                    thumbnail_media_type = coalesce(excluded.thumbnail_media_type, thumbnail_media_type)
                """);
            var results = new List<UpsertResult>(entries.Count);
            foreach (var entry in entries)
            {
                find.Parameters["$sop"].Value = entry.SopInstanceUid;
                long? replaced = find.ExecuteScalar() is long old ? old : null;
                if (replaced is { } oldId)
                {
                    DeleteEntry(connection, model.Id, oldId, entry.SopInstanceUid);
                }
                Bind(insert, ("$model", model.Id), ("$sop", entry.SopInstanceUid), ("$series", entry.SeriesInstanceUid),
                    ("$study", entry.StudyInstanceUid), ("$accession", entry.AccessionNumber), ("$patient", entry.PatientKey),
                    ("$acquired", entry.AcquiredAt?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)),
                    ("$view", entry.ViewPosition), ("$score", (double)entry.Score), ("$label", entry.ModelLabel),
                    ("$reference", entry.Reference?.Label), ("$source", entry.Reference?.Source), ("$at", Now()),
                    ("$embedding", EmbeddingCodec.Encode(entry.Embedding)), ("$class", entry.SopClassUid));
                var id = (long)insert.ExecuteScalar()!;
                if (entry.ReembeddingImage is not null || entry.Thumbnail is not null)
                {
                    Bind(images, ("$sop", entry.SopInstanceUid), ("$image", entry.ReembeddingImage?.Data), ("$imageType", entry.ReembeddingImage?.MediaType),
                        ("$thumbnail", entry.Thumbnail?.Data), ("$thumbnailType", entry.Thumbnail?.MediaType));
                    images.ExecuteNonQuery();
                }
                results.Add(new UpsertResult(id, replaced));
            }
            transaction.Commit();
            return results;
        }));
    }

    public Task<IReadOnlyList<RemovedEntry>> RemoveAsync(string sopInstanceUid, StoredModel? model = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sopInstanceUid);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<RemovedEntry>>(Run(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var find = Command(connection, """
                SELECT e.id, e.model_id, m.name, m.version FROM retrieval_entries e JOIN retrieval_models m ON m.id = e.model_id
                WHERE e.sop_instance_uid = $sop AND ($model IS NULL OR e.model_id = $model)
                """, ("$sop", sopInstanceUid), ("$model", model?.Id));
            var found = new List<(long Id, long ModelId, ModelIdentity Model)>();
            using (var reader = find.ExecuteReader())
            {
                while (reader.Read())
                {
                    found.Add((reader.GetInt64(0), reader.GetInt64(1), new ModelIdentity(reader.GetString(2), reader.GetString(3))));
                }
            }
            foreach (var (id, modelId, _) in found)
            {
                DeleteEntry(connection, modelId, id, sopInstanceUid);
            }
            transaction.Commit();
            return found.Select(f => new RemovedEntry(f.Id, f.Model)).ToList();
        }));
    }

    /// <summary>
    /// Deletes an entry, records the removal, and deletes the image's stored copies once no model's entry refers to them
    /// any more (a replacement re-inserts them right after). Inside the caller's transaction.
    /// </summary>
    private static void DeleteEntry(SqliteConnection connection, long modelId, long entryId, string sopInstanceUid)
    {
        using var delete = Command(connection, """
            DELETE FROM retrieval_entries WHERE id = $id;
            INSERT INTO retrieval_removals (model_id, entry_id, removed_at) VALUES ($model, $id, $at);
            DELETE FROM retrieval_images WHERE sop_instance_uid = $sop
                AND NOT EXISTS (SELECT 1 FROM retrieval_entries WHERE sop_instance_uid = $sop);
            """, ("$id", entryId), ("$model", modelId), ("$at", Now()), ("$sop", sopInstanceUid));
        delete.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand command, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            if (command.Parameters.Contains(name))
            {
                command.Parameters[name].Value = value ?? DBNull.Value;
            }
            else
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
        }
    }
}
