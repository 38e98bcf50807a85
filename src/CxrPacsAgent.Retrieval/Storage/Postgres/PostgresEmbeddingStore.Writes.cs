using Npgsql;

namespace CxrPacsAgent.Retrieval.Storage.Postgres;

/// <summary>Adding, replacing and removing entries: one transaction per call, removals recorded for the indexes.</summary>
public sealed partial class PostgresEmbeddingStore
{
    public Task<IReadOnlyList<UpsertResult>> UpsertAsync(StoredModel model, IReadOnlyList<LibraryEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            EntryChecks.Validate(model, entry);
        }
        return RunAsync<IReadOnlyList<UpsertResult>>(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var results = new List<UpsertResult>(entries.Count);
            foreach (var entry in entries)
            {
                long? replaced;
                await using (var find = Command(connection,
                    "SELECT id FROM retrieval_entries WHERE model_id = @model AND sop_instance_uid = @sop FOR UPDATE",
                    ("model", model.Id), ("sop", entry.SopInstanceUid)))
                {
                    replaced = await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long old ? old : null;
                }
                if (replaced is { } oldId)
                {
                    await DeleteEntryAsync(connection, model.Id, oldId, entry.SopInstanceUid, cancellationToken).ConfigureAwait(false);
                }
                long id;
                await using (var insert = Command(connection, """
                    INSERT INTO retrieval_entries (model_id, sop_instance_uid, series_instance_uid, study_instance_uid, accession_number,
                        patient_key, acquired_at, view_position, score, model_label, reference_label, reference_source, embedding,
                        sop_class_uid)
                    VALUES (@model, @sop, @series, @study, @accession, @patient, @acquired, @view, @score, @label, @reference, @source, @embedding,
                        @class)
                    RETURNING id
                    """, ("model", model.Id), ("sop", entry.SopInstanceUid), ("series", entry.SeriesInstanceUid),
                    ("study", entry.StudyInstanceUid), ("accession", entry.AccessionNumber), ("patient", entry.PatientKey),
                    ("acquired", entry.AcquiredAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Unspecified) : null),
                    ("view", entry.ViewPosition), ("score", entry.Score), ("label", entry.ModelLabel),
                    ("reference", entry.Reference?.Label), ("source", entry.Reference?.Source), ("embedding", EmbeddingCodec.Encode(entry.Embedding)),
                    ("class", entry.SopClassUid)))
                {
                    id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }
                if (entry.ReembeddingImage is not null || entry.Thumbnail is not null)
                {
                    // An entry without images keeps those another model's entry of the same image stored; one with images replaces them.
                    await using var images = Command(connection, """
                        INSERT INTO retrieval_images (sop_instance_uid, reembedding_image, reembedding_media_type, thumbnail, thumbnail_media_type)
                        VALUES (@sop, @image, @imageType, @thumbnail, @thumbnailType)
                        ON CONFLICT (sop_instance_uid) DO UPDATE SET
                            reembedding_image = coalesce(excluded.reembedding_image, retrieval_images.reembedding_image),
                            reembedding_media_type = coalesce(excluded.reembedding_media_type, retrieval_images.reembedding_media_type),
                            thumbnail = coalesce(excluded.thumbnail, retrieval_images.thumbnail),
                            thumbnail_media_type = coalesce(excluded.thumbnail_media_type, retrieval_images.thumbnail_media_type)
                        """, ("sop", entry.SopInstanceUid), ("image", entry.ReembeddingImage?.Data), ("imageType", entry.ReembeddingImage?.MediaType),
                        ("thumbnail", entry.Thumbnail?.Data), ("thumbnailType", entry.Thumbnail?.MediaType));
                    await images.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                results.Add(new UpsertResult(id, replaced));
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return results;
        });
    }

    public Task<IReadOnlyList<RemovedEntry>> RemoveAsync(string sopInstanceUid, StoredModel? model = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sopInstanceUid);
        return RunAsync<IReadOnlyList<RemovedEntry>>(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var found = new List<(long Id, long ModelId, ModelIdentity Model)>();
            await using (var find = Command(connection, """
                SELECT e.id, e.model_id, m.name, m.version FROM retrieval_entries e JOIN retrieval_models m ON m.id = e.model_id
                WHERE e.sop_instance_uid = @sop AND (@model::bigint IS NULL OR e.model_id = @model) FOR UPDATE OF e
                """, ("sop", sopInstanceUid), ("model", model?.Id)))
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    found.Add((reader.GetInt64(0), reader.GetInt64(1), new ModelIdentity(reader.GetString(2), reader.GetString(3))));
                }
            }
            foreach (var (id, modelId, _) in found)
            {
                await DeleteEntryAsync(connection, modelId, id, sopInstanceUid, cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return found.Select(f => new RemovedEntry(f.Id, f.Model)).ToList();
        });
    }

    /// <summary>Deletes an entry, records the removal, and deletes the image's copies once no entry refers to them.</summary>
    private static async Task DeleteEntryAsync(NpgsqlConnection connection, long modelId, long entryId, string sopInstanceUid,
        CancellationToken cancellationToken)
    {
        await using var delete = Command(connection, """
            DELETE FROM retrieval_entries WHERE id = @id;
            INSERT INTO retrieval_removals (model_id, entry_id) VALUES (@model, @id);
            DELETE FROM retrieval_images WHERE sop_instance_uid = @sop
                AND NOT EXISTS (SELECT 1 FROM retrieval_entries WHERE sop_instance_uid = @sop);
            """, ("id", entryId), ("model", modelId), ("sop", sopInstanceUid));
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
