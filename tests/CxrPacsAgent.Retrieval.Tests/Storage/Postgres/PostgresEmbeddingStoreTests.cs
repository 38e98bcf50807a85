using System.Diagnostics;
using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Storage;
using CxrPacsAgent.Retrieval.Storage.Postgres;
using CxrPacsAgent.Retrieval.Tests.TestSupport;
using CxrPacsAgent.Testing;
using Npgsql;

namespace CxrPacsAgent.Retrieval.Tests.Storage.Postgres;

/// <summary>
/// The library shared by several agents: rows as stored, replacement, agents opening at once, and each agent's index
/// caught up from the rows — in commit order, so a row committed late is not missed, and within 2 s of another agent's
/// commit through LISTEN/NOTIFY.
/// </summary>
[Collection(PostgresCluster.Collection)]
public sealed class PostgresEmbeddingStoreTests(PostgresCluster cluster) : IAsyncLifetime
{
    // Searches would otherwise catch up by themselves every 5 s; an hour leaves the catching up to the listener.
    private static readonly EmbeddingIndexOptions ListenerOnly = new() { UseSnapshots = false, RefreshInterval = TimeSpan.FromHours(1) };
    private readonly List<IAsyncDisposable> disposables = [];
    private string database = "";

    public async Task InitializeAsync() => database = await cluster.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(disposables))
        {
            await disposable.DisposeAsync();
        }
    }

    private async Task<PostgresEmbeddingStore> OpenAsync()
    {
        var store = await PostgresEmbeddingStore.OpenAsync(database);
        disposables.Add(new Disposer(store.Dispose));
        return store;
    }

    private async Task<EmbeddingIndex> IndexAsync(PostgresEmbeddingStore store, ModelIdentity? model = null)
    {
        var index = await EmbeddingIndex.OpenAsync(store, model ?? Entries.Model, 2, ListenerOnly);
        disposables.Add(index);
        return index;
    }

    [Fact]
    public async Task Every_field_and_both_images_come_back_as_stored()
    {
        var store = await OpenAsync();
        var model = await store.RegisterModelAsync(Entries.Model, 4);
        var entry = Entries.Make(5, [0.5f, -1, 2, float.Epsilon], reference: new ReferenceLabel("PNEUMONIA", "RT-PCR confirmed")) with
        {
            AccessionNumber = "ACC42",
            AcquiredAt = new DateTime(2024, 2, 29, 23, 59, 58, 123),
            ViewPosition = "AP",
            SopClassUid = "1.2.840.10008.5.1.4.1.1.1.1",
            ReembeddingImage = new EncodedImage([1, 2, 3, 4, 5], "image/png"),
            Thumbnail = new EncodedImage([9, 8], "image/png"),
        };
        var id = (await store.UpsertAsync(model, [entry]))[0].EntryId;
        var record = (await store.GetRecordsAsync([id, 404], withThumbnails: true)).Single();
        Assert.Equal("1.2.840.10008.5.1.4.1.1.1.1", record.SopClassUid);
        Assert.Equal((entry.SopInstanceUid, entry.SeriesInstanceUid, entry.StudyInstanceUid), (record.SopInstanceUid, record.SeriesInstanceUid, record.StudyInstanceUid));
        Assert.Equal(("ACC42", "AP", entry.AcquiredAt), (record.AccessionNumber, record.ViewPosition, record.AcquiredAt));
        Assert.Equal((0.25f, "NORMAL", entry.Reference), (record.Score, record.ModelLabel, record.Reference));
        Assert.Equal([9, 8], record.Thumbnail!.Data);
        var full = await store.ReadEntriesAsync(model).SingleAsync();
        Assert.Equal(entry.Embedding, full.Embedding);
        Assert.Equal([1, 2, 3, 4, 5], full.ReembeddingImage!.Data);
        Assert.Equal(entry.SopClassUid, full.Record.SopClassUid);
        var summary = Assert.Single(await store.SummarizeAsync());
        Assert.Equal((1L, 1L, 5L, 2L), (summary.Entries, summary.Labelled, summary.ReembeddingImageBytes, summary.ThumbnailBytes));
        var e = await Assert.ThrowsAsync<RetrievalException>(() => store.RegisterModelAsync(Entries.Model, 8));
        Assert.Equal(RetrievalError.DimensionMismatch, e.Error);
    }

    [Fact]
    public async Task The_same_SOP_Instance_UID_replaces_its_entry_and_leaves_a_removal_for_the_indexes()
    {
        var store = await OpenAsync();
        var model = await store.RegisterModelAsync(Entries.Model, 2);
        var stored = await store.UpsertAsync(model, [Entries.Make(1, [1, 0]), Entries.Make(2, [0, 1])]);
        var first = stored[0];
        var start = await store.ReadChangesAsync(model, Watermark.Start, 100);
        Assert.Equal(2, start.Added.Count);
        var second = (await store.UpsertAsync(model, [Entries.Make(1, [1, 1])]))[0];
        Assert.Equal(first.EntryId, second.ReplacedEntryId);
        var changes = await store.ReadChangesAsync(model, start.Next, 100);
        Assert.Equal([second.EntryId], changes.Added.Select(a => a.EntryId));
        Assert.Equal([first.EntryId], changes.RemovedEntryIds);
        Assert.Empty((await store.ReadChangesAsync(model, changes.Next, 100)).Added);
        Assert.Equal(stored[1].EntryId, Assert.Single(await store.RemoveAsync(Entries.Uid("1", 2))).EntryId);
        Assert.Equal([stored[1].EntryId], (await store.ReadChangesAsync(model, changes.Next, 100)).RemovedEntryIds);
        Assert.Equal(1, await store.CountAsync(model));
    }

    [Fact]
    public async Task Agents_opening_an_empty_database_at_once_end_with_one_schema()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(OpenAsync)));
        var models = await Task.WhenAll(stores.Select(s => s.RegisterModelAsync(Entries.Model, 2)));
        Assert.Single(models.Select(m => m.Id).Distinct());
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT string_agg(version::text, ',' ORDER BY version) FROM retrieval_schema", connection);
        Assert.Equal("1,2", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_library_made_before_SOP_Class_UIDs_were_kept_is_upgraded_and_its_entries_stay()
    {
        var old = await OpenAsync();
        var model = await old.RegisterModelAsync(Entries.Model, 2);
        await old.UpsertAsync(model, [Entries.Make(1, [1, 0])]);
        await using (var connection = new NpgsqlConnection(database))
        {
            // The schema as version 1 left it.
            await connection.OpenAsync();
            await using var downgrade = new NpgsqlCommand(
                "ALTER TABLE retrieval_entries DROP COLUMN sop_class_uid; DELETE FROM retrieval_schema WHERE version = 2", connection);
            await downgrade.ExecuteNonQueryAsync();
        }
        var upgraded = await OpenAsync();
        Assert.Null((await upgraded.ReadEntriesAsync(model).SingleAsync()).Record.SopClassUid);
        var id = (await upgraded.UpsertAsync(model, [Entries.Make(2, [0, 1]) with { SopClassUid = "1.2.840.10008.5.1.4.1.1.1.1" }]))[0].EntryId;
        Assert.Equal("1.2.840.10008.5.1.4.1.1.1.1", (await upgraded.GetRecordsAsync([id], withThumbnails: false)).Single().SopClassUid);
    }

    [Fact]
    public async Task A_row_that_took_its_id_first_but_committed_last_still_reaches_the_index()
    {
        var store = await OpenAsync();
        var model = await store.RegisterModelAsync(Entries.Model, 2);
        var index = await IndexAsync(store);

        // A slow writer: its row takes an id now and commits only after a faster writer's row.
        await using var slow = new NpgsqlConnection(database);
        await slow.OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO retrieval_entries (model_id, sop_instance_uid, series_instance_uid, study_instance_uid, score, embedding)
            VALUES (@model, '1.2.3.1', '1.2.3.2', '1.2.3.3', 0.5, @embedding) RETURNING id
            """, slow, transaction))
        {
            insert.Parameters.AddWithValue("model", model.Id);
            insert.Parameters.AddWithValue("embedding", EmbeddingCodec.Encode([0, 1]));
            var slowId = (long)(await insert.ExecuteScalarAsync())!;
            var fastId = (await store.UpsertAsync(model, [Entries.Make(1, [1, 0])]))[0].EntryId;
            Assert.True(slowId < fastId);
        }
        await index.CatchUpAsync();
        Assert.Equal(1, index.Count);

        await transaction.CommitAsync();
        await index.CatchUpAsync();
        Assert.Equal(2, index.Count);
        Assert.True((await index.VerifyAsync()).Consistent);
    }

    [Fact]
    public async Task A_study_another_agent_stores_is_searchable_here_within_two_seconds_without_its_own_study_or_other_models()
    {
        var here = await OpenAsync();
        var there = await OpenAsync();
        var ours = await IndexAsync(here);
        var theirs = await IndexAsync(there);
        var caughtUp = new SemaphoreSlim(0);
        var listener = new PostgresChangeListener(database, async ct =>
        {
            await ours.CatchUpAsync(ct);
            caughtUp.Release();
        });
        disposables.Add(listener);
        await listener.Listening;
        Assert.True(await caughtUp.WaitAsync(TimeSpan.FromSeconds(5))); // the catch-up every (re)connection makes

        var elapsed = Stopwatch.StartNew();
        await theirs.AddAsync(Entries.Make(1, [1, 0], study: 100));
        await theirs.AddAsync(Entries.Make(2, [0.9f, 0.1f], study: 200));
        while (ours.Count < 2 && elapsed.Elapsed < TimeSpan.FromSeconds(2))
        {
            await caughtUp.WaitAsync(TimeSpan.FromMilliseconds(100));
        }
        Assert.Equal(2, ours.Count);
        Assert.InRange(elapsed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));

        var other = await there.RegisterModelAsync(new ModelIdentity(Entries.Model.Name, "2.0.0"), 2);
        await there.UpsertAsync(other, [Entries.Make(3, [1, 0], model: other.Identity, study: 300)]);
        var found = await ours.SearchAsync(new SimilarityQuery(Entries.Model, [1, 0]) { K = 4, ExcludeStudyInstanceUid = Entries.Uid("3", 100) });
        Assert.Equal([Entries.Uid("3", 200)], found.Select(f => f.Entry.StudyInstanceUid));
    }

    private sealed class Disposer(Action dispose) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            dispose();
            return ValueTask.CompletedTask;
        }
    }
}
