using CxrPacsAgent.Retrieval.Patients;
using CxrPacsAgent.Retrieval.Storage;
using CxrPacsAgent.Retrieval.Storage.Sqlite;
using CxrPacsAgent.Retrieval.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace CxrPacsAgent.Retrieval.Tests.Storage.Sqlite;

public sealed class SqliteEmbeddingStoreTests : IDisposable
{
    private readonly TempFolder folder = new();

    private string Database => folder.File("state/agent.db");

    [Fact]
    public async Task It_shares_the_state_database_with_other_tables_and_leaves_them_and_user_version_alone()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Database)!);
        Sql("CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT); INSERT INTO jobs (state) VALUES ('queued'), ('done'); PRAGMA user_version = 7;");
        using (var store = SqliteEmbeddingStore.Open(Database))
        {
            var model = await store.RegisterModelAsync(Entries.Model, 3);
            await store.UpsertAsync(model, [Entries.Make(1, [1, 2, 3])]);
            Assert.Equal(Path.Combine(folder.Path, "state", "index"), store.SnapshotFolder);
        }
        Assert.Equal("queued,done", Sql("SELECT group_concat(state) FROM jobs"));
        Assert.Equal(7L, Sql("PRAGMA user_version"));
        Assert.Equal("wal", Sql("PRAGMA journal_mode"));
        Assert.Equal(2L, Sql("SELECT max(version) FROM retrieval_schema"));
        Assert.Equal(1L, Sql("SELECT count(*) FROM retrieval_entries"));
        using var again = SqliteEmbeddingStore.Open(Database); // reopening finds its tables and creates nothing twice
        Assert.Equal(2L, Sql("SELECT count(*) FROM retrieval_schema"));
    }

    [Fact]
    public async Task A_version_1_library_is_upgraded_in_place_and_keeps_its_entries()
    {
        using (var store = SqliteEmbeddingStore.Open(Database))
        {
            var model = await store.RegisterModelAsync(Entries.Model, 3);
            await store.UpsertAsync(model, [Entries.Make(1, [1, 2, 3])]);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // What version 1 wrote: no SOP class column.
        Sql("ALTER TABLE retrieval_entries DROP COLUMN sop_class_uid");
        Sql("DELETE FROM retrieval_schema WHERE version = 2");
        using var upgraded = SqliteEmbeddingStore.Open(Database);
        Assert.Equal(2L, Sql("SELECT max(version) FROM retrieval_schema"));
        var stored = await upgraded.RegisterModelAsync(Entries.Model, 3);
        var old = await upgraded.ReadEntriesAsync(stored).SingleAsync();
        Assert.Null(old.Record.SopClassUid);
        var id = (await upgraded.UpsertAsync(stored, [Entries.Make(2, [3, 2, 1]) with { SopClassUid = "1.2.840.10008.5.1.4.1.1.1.1" }]))[0].EntryId;
        Assert.Equal("1.2.840.10008.5.1.4.1.1.1.1", (await upgraded.GetRecordsAsync([id], withThumbnails: false)).Single().SopClassUid);
    }

    [Fact]
    public void A_newer_retrieval_schema_is_refused_rather_than_misread()
    {
        using (SqliteEmbeddingStore.Open(Database))
        {
        }
        Sql("UPDATE retrieval_schema SET version = 99");
        var e = Assert.Throws<RetrievalException>(() => SqliteEmbeddingStore.Open(Database));
        Assert.Equal(RetrievalError.SchemaTooNew, e.Error);
        Assert.Contains("99", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_keeps_the_dimensions_it_was_registered_with()
    {
        using var store = SqliteEmbeddingStore.Open(Database);
        var first = await store.RegisterModelAsync(Entries.Model, 128);
        Assert.Equal(first, await store.RegisterModelAsync(Entries.Model, 128));
        var e = await Assert.ThrowsAsync<RetrievalException>(() => store.RegisterModelAsync(Entries.Model, 256));
        Assert.Equal(RetrievalError.DimensionMismatch, e.Error);
        var other = await store.RegisterModelAsync(new ModelIdentity("cxr-test-model", "2.0.0"), 256);
        Assert.NotEqual(first.Id, other.Id);
    }

    [Fact]
    public async Task Every_field_and_both_images_come_back_as_stored()
    {
        using var store = SqliteEmbeddingStore.Open(Database);
        var model = await store.RegisterModelAsync(Entries.Model, 4);
        var patient = new PatientIdHasher(new byte[16]).Hash("PAT-1")!;
        var entry = Entries.Make(5, [0.5f, -1, 2, float.Epsilon], patientKey: patient, reference: new ReferenceLabel("PNEUMONIA", "RT-PCR confirmed")) with
        {
            AccessionNumber = "ACC42",
            AcquiredAt = new DateTime(2024, 2, 29, 23, 59, 58, 123),
            ViewPosition = "AP",
            SopClassUid = "1.2.840.10008.5.1.4.1.1.1.1",
            ReembeddingImage = new EncodedImage([1, 2, 3, 4, 5], "image/png"),
            Thumbnail = new EncodedImage([9, 8], "image/png"),
        };
        var id = (await store.UpsertAsync(model, [entry]))[0].EntryId;
        var record = (await store.GetRecordsAsync([id], withThumbnails: true)).Single();
        Assert.Equal((entry.SopInstanceUid, entry.SeriesInstanceUid, entry.StudyInstanceUid), (record.SopInstanceUid, record.SeriesInstanceUid, record.StudyInstanceUid));
        Assert.Equal(("ACC42", patient, "AP", entry.AcquiredAt), (record.AccessionNumber, record.PatientKey, record.ViewPosition, record.AcquiredAt));
        Assert.Equal((0.25f, "NORMAL", entry.Reference), (record.Score, record.ModelLabel, record.Reference));
        Assert.Equal(Entries.Model, record.Model);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.1.1", record.SopClassUid);
        Assert.Equal([9, 8], record.Thumbnail!.Data);
        Assert.Null((await store.GetRecordsAsync([id], withThumbnails: false)).Single().Thumbnail);
        var full = await store.ReadEntriesAsync(model).SingleAsync();
        Assert.Equal(entry.Embedding, full.Embedding);
        Assert.Equal([1, 2, 3, 4, 5], full.ReembeddingImage!.Data);
        Assert.Equal("image/png", full.Thumbnail!.MediaType);
    }

    [Fact]
    public async Task The_same_SOP_Instance_UID_replaces_its_entry_and_leaves_a_removal_for_the_indexes()
    {
        using var store = SqliteEmbeddingStore.Open(Database);
        var model = await store.RegisterModelAsync(Entries.Model, 2);
        var first = (await store.UpsertAsync(model, [Entries.Make(1, [1, 0]), Entries.Make(2, [0, 1])]))[0];
        var start = await store.ReadChangesAsync(model, Watermark.Start, 100);
        var second = (await store.UpsertAsync(model, [Entries.Make(1, [1, 1])]))[0];
        Assert.Equal(first.EntryId, second.ReplacedEntryId);
        Assert.True(second.EntryId > first.EntryId);
        var changes = await store.ReadChangesAsync(model, start.Next, 100);
        Assert.Equal([second.EntryId], changes.Added.Select(a => a.EntryId));
        Assert.Equal([first.EntryId], changes.RemovedEntryIds);
        Assert.Equal(2, await store.CountAsync(model));
        Assert.Empty((await store.ReadChangesAsync(model, changes.Next, 100)).Added);
    }

    [Fact]
    public async Task Removal_by_UID_reaches_every_model_unless_one_is_named()
    {
        using var store = SqliteEmbeddingStore.Open(Database);
        var a = await store.RegisterModelAsync(Entries.Model, 2);
        var b = await store.RegisterModelAsync(new ModelIdentity("other", "1"), 2);
        await store.UpsertAsync(a, [Entries.Make(1, [1, 0]), Entries.Make(2, [1, 0])]);
        await store.UpsertAsync(b, [Entries.Make(1, [1, 0], model: b.Identity)]);
        Assert.Single(await store.RemoveAsync(Entries.Uid("1", 2), a));
        Assert.Empty(await store.RemoveAsync(Entries.Uid("1", 2), b));
        var removed = await store.RemoveAsync(Entries.Uid("1", 1));
        Assert.Equal([a.Identity, b.Identity], removed.Select(r => r.Model).OrderBy(m => m.Name, StringComparer.Ordinal));
        Assert.Equal(0, await store.CountAsync(a) + await store.CountAsync(b));
    }

    [Fact]
    public async Task Models_share_an_images_stored_copies_which_go_with_the_last_entry_that_refers_to_them()
    {
        using var store = SqliteEmbeddingStore.Open(Database);
        var a = await store.RegisterModelAsync(Entries.Model, 2);
        var b = await store.RegisterModelAsync(new ModelIdentity("other", "1"), 2);
        var images = Entries.Make(1, [1, 0]) with { ReembeddingImage = new EncodedImage([1, 2, 3], "image/png"), Thumbnail = new EncodedImage([4], "image/png") };
        await store.UpsertAsync(a, [images]);
        var reembedded = (await store.UpsertAsync(b, [Entries.Make(1, [0, 1], model: b.Identity)]))[0]; // no images of its own
        Assert.Equal([1, 2, 3], (await store.ReadEntriesAsync(b).SingleAsync()).ReembeddingImage!.Data);
        Assert.Equal(1L, Sql("SELECT count(*) FROM retrieval_images"));
        await store.RemoveAsync(Entries.Uid("1", 1), a);
        Assert.Equal([4], (await store.GetRecordsAsync([reembedded.EntryId], withThumbnails: true)).Single().Thumbnail!.Data);
        await store.RemoveAsync(Entries.Uid("1", 1), b);
        Assert.Equal(0L, Sql("SELECT count(*) FROM retrieval_images"));
    }

    [Fact]
    public async Task Bad_entries_are_refused_by_name_and_a_batch_with_one_stores_nothing()
    {
        using var store = SqliteEmbeddingStore.Open(Database);
        var model = await store.RegisterModelAsync(Entries.Model, 3);
        var good = Entries.Make(1, [1, 2, 3]);
        var cases = new (LibraryEntry Entry, RetrievalError Error)[]
        {
            (Entries.Make(2, [1, 2, 3], patientKey: "PAT-1"), RetrievalError.InvalidEntry), // a raw patient id, not a hash
            (Entries.Make(2, [1, 2, 3]) with { StudyInstanceUid = "1.2.03" }, RetrievalError.InvalidEntry),
            (Entries.Make(2, [1, 2, 3]) with { SopInstanceUid = "" }, RetrievalError.InvalidEntry),
            (Entries.Make(2, [1, 2, 3]) with { Score = float.NaN }, RetrievalError.InvalidEntry),
            (Entries.Make(2, [1, float.NaN, 3]), RetrievalError.InvalidEmbedding),
            (Entries.Make(2, [0, 0, 0]), RetrievalError.InvalidEmbedding),
            (Entries.Make(2, [1, 2]), RetrievalError.DimensionMismatch),
            (Entries.Make(2, [1, 2, 3], model: new ModelIdentity("other", "1")), RetrievalError.ModelMismatch),
        };
        foreach (var (entry, error) in cases)
        {
            var e = await Assert.ThrowsAsync<RetrievalException>(() => store.UpsertAsync(model, [good, entry]));
            Assert.Equal(error, e.Error);
        }
        Assert.Equal(0, await store.CountAsync(model));
    }

    [Fact]
    public async Task A_writer_blocked_past_the_busy_timeout_fails_with_a_store_error_not_a_hang()
    {
        using var store = SqliteEmbeddingStore.Open(Database, new SqliteStoreOptions { BusyTimeout = TimeSpan.FromMilliseconds(300) });
        var model = await store.RegisterModelAsync(Entries.Model, 2);
        using (var other = new SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            other.Open();
            using var hold = other.BeginTransaction(deferred: false); // another process's write transaction
            var started = System.Diagnostics.Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<RetrievalException>(() => store.UpsertAsync(model, [Entries.Make(1, [1, 0])]));
            Assert.Equal(RetrievalError.StoreFailure, e.Error);
            Assert.InRange(started.Elapsed.TotalSeconds, 0.2, 10);
            Assert.Equal(0, await store.CountAsync(model)); // readers are not blocked in WAL mode
        }
        await store.UpsertAsync(model, [Entries.Make(1, [1, 0])]);
        Assert.Equal(1, await store.CountAsync(model));
    }

    public void Dispose() => folder.Dispose();

    private object? Sql(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
