using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace CxrPacsAgent.Retrieval.Storage.Sqlite;

/// <summary>Reading rows back: changes for the indexes, descriptions for results, full entries for re-embedding.</summary>
public sealed partial class SqliteEmbeddingStore
{
    public Task<ChangeBatch> ReadChangesAsync(StoredModel model, Watermark since, int maxEntries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Run(connection =>
        {
            // One read transaction: the page of entries and the removals are one moment's view of the rows.
            using var transaction = connection.BeginTransaction(deferred: true);
            var added = new List<AddedVector>();
            using (var entries = Command(connection, """
                SELECT id, study_instance_uid, patient_key, embedding FROM retrieval_entries
                WHERE model_id = $model AND id > $after ORDER BY id LIMIT $limit
                """, ("$model", model.Id), ("$after", since.Entries), ("$limit", maxEntries)))
            using (var reader = entries.ExecuteReader())
            {
                while (reader.Read())
                {
                    added.Add(new AddedVector(reader.GetInt64(0), reader.GetString(1), NullableString(reader, 2),
                        EmbeddingCodec.Decode(reader.GetFieldValue<byte[]>(3))));
                }
            }
            var removed = new List<long>();
            var lastRemoval = since.Removals;
            using (var removals = Command(connection,
                "SELECT id, entry_id FROM retrieval_removals WHERE model_id = $model AND id > $after ORDER BY id",
                ("$model", model.Id), ("$after", since.Removals)))
            using (var reader = removals.ExecuteReader())
            {
                while (reader.Read())
                {
                    lastRemoval = reader.GetInt64(0);
                    removed.Add(reader.GetInt64(1));
                }
            }
            var next = new Watermark(added.Count > 0 ? added[^1].EntryId : since.Entries, lastRemoval);
            return new ChangeBatch(added, removed, next, added.Count == maxEntries);
        }));
    }

    public Task<IReadOnlyList<LibraryRecord>> GetRecordsAsync(IReadOnlyList<long> entryIds, bool withThumbnails, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entryIds);
        cancellationToken.ThrowIfCancellationRequested();
        if (entryIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<LibraryRecord>>([]);
        }
        return Task.FromResult<IReadOnlyList<LibraryRecord>>(Run(connection =>
        {
            var names = entryIds.Select((_, i) => $"$id{i}").ToArray();
            var thumbnail = withThumbnails ? ", i.thumbnail, i.thumbnail_media_type" : "";
            using var command = Command(connection, $"""
                SELECT {LibrarySql.RecordColumns}{thumbnail} FROM retrieval_entries e JOIN retrieval_models m ON m.id = e.model_id
                LEFT JOIN retrieval_images i ON i.sop_instance_uid = e.sop_instance_uid WHERE e.id IN ({string.Join(", ", names)})
                """, [.. names.Zip(entryIds, (n, id) => (n, (object?)id))]);
            using var reader = command.ExecuteReader();
            var byId = new Dictionary<long, LibraryRecord>();
            while (reader.Read())
            {
                var record = ReadRecord(reader);
                byId[record.EntryId] = withThumbnails ? record with { Thumbnail = ReadImage(reader, LibrarySql.RecordColumnCount) } : record;
            }
            return entryIds.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
        }));
    }

    public async IAsyncEnumerable<StoredEntry> ReadEntriesAsync(StoredModel model, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var after = 0L;
        while (true)
        {
            // A page per read transaction: no transaction stays open while the caller works on the entries.
            var page = await ReadEntryPageAsync(model, after, cancellationToken).ConfigureAwait(false);
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

    private async Task<List<StoredEntry>> ReadEntryPageAsync(StoredModel model, long after, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = OpenConnection();
            await using var command = Command(connection, $"""
                SELECT {LibrarySql.RecordColumns}, e.embedding, i.reembedding_image, i.reembedding_media_type, i.thumbnail, i.thumbnail_media_type
                FROM retrieval_entries e JOIN retrieval_models m ON m.id = e.model_id LEFT JOIN retrieval_images i ON i.sop_instance_uid = e.sop_instance_uid
                WHERE e.model_id = $model AND e.id > $after ORDER BY e.id LIMIT $limit
                """, ("$model", model.Id), ("$after", after), ("$limit", LibrarySql.PageSize));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var page = new List<StoredEntry>(LibrarySql.PageSize);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                page.Add(new StoredEntry(ReadRecord(reader), EmbeddingCodec.Decode(reader.GetFieldValue<byte[]>(LibrarySql.RecordColumnCount)),
                    ReadImage(reader, LibrarySql.RecordColumnCount + 1), ReadImage(reader, LibrarySql.RecordColumnCount + 3)));
            }
            return page;
        }
        catch (SqliteException e)
        {
            throw Failure(e);
        }
    }

    private static LibraryRecord ReadRecord(SqliteDataReader reader) => new()
    {
        EntryId = reader.GetInt64(0),
        Model = new ModelIdentity(reader.GetString(1), reader.GetString(2)),
        SopInstanceUid = reader.GetString(3),
        SeriesInstanceUid = reader.GetString(4),
        StudyInstanceUid = reader.GetString(5),
        AccessionNumber = NullableString(reader, 6),
        PatientKey = NullableString(reader, 7),
        AcquiredAt = NullableString(reader, 8) is { } acquired ? DateTime.Parse(acquired, CultureInfo.InvariantCulture) : null,
        ViewPosition = NullableString(reader, 9),
        Score = (float)reader.GetDouble(10),
        ModelLabel = NullableString(reader, 11),
        Reference = NullableString(reader, 12) is { } label ? new ReferenceLabel(label, reader.GetString(13)) : null,
        AddedAt = DateTimeOffset.Parse(reader.GetString(14), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        SopClassUid = NullableString(reader, 15),
    };

    private static EncodedImage? ReadImage(SqliteDataReader reader, int dataColumn) =>
        reader.IsDBNull(dataColumn) ? null : new EncodedImage(reader.GetFieldValue<byte[]>(dataColumn), reader.GetString(dataColumn + 1));

    private static string? NullableString(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
}
