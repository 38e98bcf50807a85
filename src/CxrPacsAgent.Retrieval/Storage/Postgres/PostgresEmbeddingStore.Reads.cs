using System.Runtime.CompilerServices;
using Npgsql;

namespace CxrPacsAgent.Retrieval.Storage.Postgres;

/// <summary>
/// Reading rows back. Changes are read by commit order (<c>seq</c>), so <see cref="Watermark"/>'s two numbers are, in
/// this store, the last entry and removal <c>seq</c> read, not ids.
/// </summary>
public sealed partial class PostgresEmbeddingStore
{
    public Task<ChangeBatch> ReadChangesAsync(StoredModel model, Watermark since, int maxEntries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        return RunAsync(async connection =>
        {
            // One snapshot for both reads: the page of entries and the removals are one moment's view of the rows.
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken)
                .ConfigureAwait(false);
            var added = new List<AddedVector>();
            var lastEntry = since.Entries;
            await using (var entries = Command(connection, """
                SELECT seq, id, study_instance_uid, patient_key, embedding FROM retrieval_entries
                WHERE model_id = @model AND seq > @after ORDER BY seq LIMIT @limit
                """, ("model", model.Id), ("after", since.Entries), ("limit", maxEntries)))
            await using (var reader = await entries.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    lastEntry = reader.GetInt64(0);
                    added.Add(new AddedVector(reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                        EmbeddingCodec.Decode(reader.GetFieldValue<byte[]>(4))));
                }
            }
            var removed = new List<long>();
            var lastRemoval = since.Removals;
            await using (var removals = Command(connection,
                "SELECT seq, entry_id FROM retrieval_removals WHERE model_id = @model AND seq > @after ORDER BY seq",
                ("model", model.Id), ("after", since.Removals)))
            await using (var reader = await removals.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    lastRemoval = reader.GetInt64(0);
                    removed.Add(reader.GetInt64(1));
                }
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new ChangeBatch(added, removed, new Watermark(lastEntry, lastRemoval), added.Count == maxEntries);
        });
    }

    public Task<IReadOnlyList<LibraryRecord>> GetRecordsAsync(IReadOnlyList<long> entryIds, bool withThumbnails, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entryIds);
        if (entryIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<LibraryRecord>>([]);
        }
        return RunAsync<IReadOnlyList<LibraryRecord>>(async connection =>
        {
            var thumbnail = withThumbnails ? ", i.thumbnail, i.thumbnail_media_type" : "";
            await using var command = Command(connection, $"""
                SELECT {LibrarySql.RecordColumns}{thumbnail} FROM retrieval_entries e JOIN retrieval_models m ON m.id = e.model_id
                LEFT JOIN retrieval_images i ON i.sop_instance_uid = e.sop_instance_uid WHERE e.id = ANY(@ids)
                """, ("ids", entryIds.ToArray()));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var byId = new Dictionary<long, LibraryRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var record = ReadRecord(reader);
                byId[record.EntryId] = withThumbnails ? record with { Thumbnail = ReadImage(reader, LibrarySql.RecordColumnCount) } : record;
            }
            return entryIds.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
        });
    }

    public async IAsyncEnumerable<StoredEntry> ReadEntriesAsync(StoredModel model, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var after = 0L;
        while (true)
        {
            // A page per query: no transaction stays open while the caller works on the entries.
            var page = await RunAsync(async connection =>
            {
                await using var command = Command(connection, $"""
                    SELECT {LibrarySql.RecordColumns}, e.embedding, i.reembedding_image, i.reembedding_media_type, i.thumbnail, i.thumbnail_media_type
                    FROM retrieval_entries e JOIN retrieval_models m ON m.id = e.model_id LEFT JOIN retrieval_images i ON i.sop_instance_uid = e.sop_instance_uid
                    WHERE e.model_id = @model AND e.id > @after ORDER BY e.id LIMIT @limit
                    """, ("model", model.Id), ("after", after), ("limit", LibrarySql.PageSize));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var entries = new List<StoredEntry>(LibrarySql.PageSize);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    entries.Add(new StoredEntry(ReadRecord(reader), EmbeddingCodec.Decode(reader.GetFieldValue<byte[]>(LibrarySql.RecordColumnCount)),
                        ReadImage(reader, LibrarySql.RecordColumnCount + 1), ReadImage(reader, LibrarySql.RecordColumnCount + 3)));
                }
                return entries;
            }).ConfigureAwait(false);
            foreach (var entry in page)
            {
                yield return entry;
            }
            if (page.Count < LibrarySql.PageSize)
            {
                yield break;
            }
            after = page[^1].Record.EntryId;
        }
    }

    private static LibraryRecord ReadRecord(NpgsqlDataReader reader) => new()
    {
        EntryId = reader.GetInt64(0),
        Model = new ModelIdentity(reader.GetString(1), reader.GetString(2)),
        SopInstanceUid = reader.GetString(3),
        SeriesInstanceUid = reader.GetString(4),
        StudyInstanceUid = reader.GetString(5),
        AccessionNumber = NullableString(reader, 6),
        PatientKey = NullableString(reader, 7),
        AcquiredAt = reader.IsDBNull(8) ? null : reader.GetDateTime(8),
        ViewPosition = NullableString(reader, 9),
        Score = reader.GetFloat(10),
        ModelLabel = NullableString(reader, 11),
        Reference = NullableString(reader, 12) is { } label ? new ReferenceLabel(label, reader.GetString(13)) : null,
        AddedAt = reader.GetFieldValue<DateTimeOffset>(14),
        SopClassUid = NullableString(reader, 15),
    };

    private static EncodedImage? ReadImage(NpgsqlDataReader reader, int dataColumn) =>
        reader.IsDBNull(dataColumn) ? null : new EncodedImage(reader.GetFieldValue<byte[]>(dataColumn), reader.GetString(dataColumn + 1));

    private static string? NullableString(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
}
