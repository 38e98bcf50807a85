using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Patients;
using CxrPacsAgent.Retrieval.Storage.Sqlite;
using CxrPacsAgent.Retrieval.Tests.TestSupport;
using CxrPacsAgent.Retrieval.Vectors;

namespace CxrPacsAgent.Retrieval.Tests.Index;

public sealed class EmbeddingIndexTests : IDisposable
{
    private const int Dimensions = 16;
    private readonly TempFolder folder = new();
    private readonly float[] rows = ClusteredVectors.Generate(3_000, Dimensions, seed: 21, duplicateShare: 0);

    private string Database => folder.File("agent.db");

    [Fact]
    public async Task Search_finds_the_nearest_entries_and_leaves_out_the_excluded_study_and_patient()
    {
        using var store = SqliteEmbeddingStore.Open(Database);
        await using var index = await EmbeddingIndex.OpenAsync(store, Entries.Model, Dimensions);
        var hasher = new PatientIdHasher(new byte[32]);
        var patient = hasher.Hash("P1")!;
        // Entries 0 and 1: one study; entry 2: the same patient, another study; 3 and 4: others.
        var target = Row(0);
        await index.AddRangeAsync([
            Entries.Make(0, target, study: 100, patientKey: patient),
            Entries.Make(1, Nudge(target, 0.01f), study: 100, patientKey: patient) with { Thumbnail = new EncodedImage([7], "image/png") },
            Entries.Make(2, Nudge(target, 0.02f), study: 200, patientKey: patient),
            Entries.Make(3, Nudge(target, 0.03f)),
            Entries.Make(4, Nudge(target, 0.04f)),
        ]);
        var all = await index.SearchAsync(new SimilarityQuery(Entries.Model, target) { K = 3, IncludeThumbnails = true });
        Assert.Equal([Entries.Uid("1", 0), Entries.Uid("1", 1), Entries.Uid("1", 2)], all.Select(s => s.Entry.SopInstanceUid));
        Assert.Equal(1f, all[0].Similarity, 4);
        Assert.True(all[1].Similarity >= all[2].Similarity);
        Assert.Equal([7], all[1].Entry.Thumbnail!.Data);

        var otherStudies = await index.SearchAsync(new SimilarityQuery(Entries.Model, target) { K = 3, ExcludeStudyInstanceUid = Entries.Uid("3", 100) });
        Assert.Equal([2L, 3L, 4L], otherStudies.Select(s => SopNumber(s)));
        var otherPatients = await index.SearchAsync(new SimilarityQuery(Entries.Model, target) { K = 3, ExcludePatientKey = patient });
        Assert.Equal([3L, 4L], otherPatients.Select(s => SopNumber(s)));
    }

    [Fact]
    public async Task Another_models_query_or_entry_and_wrong_dimensions_are_clear_errors()
    {
        using var store = SqliteEmbeddingStore.Open(Database);
        await using var index = await EmbeddingIndex.OpenAsync(store, Entries.Model, Dimensions);
        await index.AddAsync(Entries.Make(1, Row(1)));
        var upgraded = new ModelIdentity(Entries.Model.Name, "2.0.0");
        var e = await Assert.ThrowsAsync<RetrievalException>(() => index.SearchAsync(new SimilarityQuery(upgraded, Row(1))));
        Assert.Equal(RetrievalError.ModelMismatch, e.Error);
        Assert.Contains("2.0.0", e.Message, StringComparison.Ordinal);
        e = await Assert.ThrowsAsync<RetrievalException>(() => index.AddAsync(Entries.Make(2, Row(2), model: upgraded)));
        Assert.Equal(RetrievalError.ModelMismatch, e.Error);
        e = await Assert.ThrowsAsync<RetrievalException>(() => index.SearchAsync(new SimilarityQuery(Entries.Model, new float[Dimensions + 1])));
        Assert.Equal(RetrievalError.DimensionMismatch, e.Error);
        e = await Assert.ThrowsAsync<RetrievalException>(() => EmbeddingIndex.OpenAsync(store, Entries.Model, Dimensions * 2));
        Assert.Equal(RetrievalError.DimensionMismatch, e.Error);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => index.SearchAsync(new SimilarityQuery(Entries.Model, Row(1)) { K = 0 }));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public async Task Replacing_and_removing_by_SOP_Instance_UID_changes_what_search_finds()
    {
        using var store = SqliteEmbeddingStore.Open(Database);
        await using var index = await EmbeddingIndex.OpenAsync(store, Entries.Model, Dimensions);
        await index.AddRangeAsync([Entries.Make(1, Row(1)), Entries.Make(2, Row(2))]);
        var replaced = await index.AddAsync(Entries.Make(1, Row(3)));
        Assert.True(replaced.Replaced);
        Assert.Equal(2, index.Count);
        var hit = (await index.SearchAsync(new SimilarityQuery(Entries.Model, Row(3)) { K = 1 }))[0];
        Assert.Equal((Entries.Uid("1", 1), replaced.EntryId), (hit.Entry.SopInstanceUid, hit.Entry.EntryId));
        Assert.True(await index.RemoveAsync(Entries.Uid("1", 1)));
        Assert.False(await index.RemoveAsync(Entries.Uid("1", 1)));
        Assert.Equal([Entries.Uid("1", 2)], (await index.SearchAsync(new SimilarityQuery(Entries.Model, Row(3)) { K = 5 })).Select(s => s.Entry.SopInstanceUid));
        // A batch that stores one SOP Instance UID twice keeps the later one only.
        await index.AddRangeAsync([Entries.Make(9, Row(9)), Entries.Make(9, Row(10))]);
        Assert.Equal(2, index.Count);
        Assert.True((await index.VerifyAsync()).Consistent);
    }

    [Fact]
    public async Task Beyond_the_exact_limit_it_moves_to_HNSW_and_reopens_from_its_snapshot_and_the_rows_written_since()
    {
        var options = new EmbeddingIndexOptions { ExactSearchLimit = 500, SnapshotEvery = 100_000 };
        using var store = SqliteEmbeddingStore.Open(Database);
        await using (var index = await EmbeddingIndex.OpenAsync(store, Entries.Model, Dimensions, options))
        {
            await index.AddRangeAsync([.. Enumerable.Range(0, 400).Select(i => Entries.Make(i, Row(i)))]);
            Assert.Equal(IndexMode.Exact, index.Statistics().Mode);
            await index.AddRangeAsync([.. Enumerable.Range(400, 600).Select(i => Entries.Make(i, Row(i)))]);
            Assert.Equal(IndexMode.Hnsw, index.Statistics().Mode);
            Assert.Equal(1_000, index.Count);
            Assert.Equal(Entries.Uid("1", 7), (await index.SearchAsync(new SimilarityQuery(Entries.Model, Row(7)) { K = 1 }))[0].Entry.SopInstanceUid);
            Assert.True(await index.SaveSnapshotAsync());
        }
        // Another process (a second store) changes rows after the snapshot: adds, a replacement and a removal.
        using (var other = SqliteEmbeddingStore.Open(Database))
        {
            var model = await other.RegisterModelAsync(Entries.Model, Dimensions);
            await other.UpsertAsync(model, [.. Enumerable.Range(1_000, 50).Select(i => Entries.Make(i, Row(i))), Entries.Make(5, Row(2_500))]);
            await other.RemoveAsync(Entries.Uid("1", 6), model);
        }
        await using (var reopened = await EmbeddingIndex.OpenAsync(store, Entries.Model, Dimensions, options))
        {
            var stats = reopened.Statistics();
            Assert.Equal((IndexOrigin.Snapshot, IndexMode.Hnsw, 1_049L), (stats.Origin, stats.Mode, stats.Count));
            Assert.Null(stats.SnapshotProblem);
            Assert.True((await reopened.VerifyAsync()).Consistent);
            Assert.Equal(Entries.Uid("1", 5), (await reopened.SearchAsync(new SimilarityQuery(Entries.Model, Row(2_500)) { K = 1 }))[0].Entry.SopInstanceUid);
            Assert.Equal(Entries.Uid("1", 1_049), (await reopened.SearchAsync(new SimilarityQuery(Entries.Model, Row(1_049)) { K = 1 }))[0].Entry.SopInstanceUid);
        }
    }

    [Fact]
    public async Task In_HNSW_mode_an_acknowledged_add_is_found_before_the_graph_has_it_and_a_close_during_the_merge_loses_nothing()
    {
        var many = ClusteredVectors.Generate(6_000, Dimensions, seed: 31, duplicateShare: 0);
        float[] Many(int i) => ClusteredVectors.Row(many, Dimensions, i);
        var options = new EmbeddingIndexOptions { ExactSearchLimit = 200, SnapshotEvery = 100_000 };
        using var store = SqliteEmbeddingStore.Open(Database);
        await using (var index = await EmbeddingIndex.OpenAsync(store, Entries.Model, Dimensions, options))
        {
            await index.AddRangeAsync([.. Enumerable.Range(0, 300).Select(i => Entries.Make(i, Many(i)))]);
            await index.MergePendingAsync();
            Assert.Equal((IndexMode.Hnsw, 0L), (index.Statistics().Mode, index.Statistics().Pending));
            Assert.True(await index.SaveSnapshotAsync());
            // More than a snapshot links on its own (4,096) in one transaction: acknowledged means searchable now.
            await index.AddRangeAsync([.. Enumerable.Range(300, 5_700).Select(i => Entries.Make(i, Many(i)))]);
            Assert.True(index.Statistics().Pending > 0, "5,700 graph inserts cannot be done by the time the rows are committed");
            for (var i = 300; i < 6_000; i += 211)
            {
                Assert.Equal(Entries.Uid("1", i), (await index.SearchAsync(new SimilarityQuery(Entries.Model, Many(i)) { K = 1 }))[0].Entry.SopInstanceUid);
            }
            await index.RemoveAsync(Entries.Uid("1", 5_999)); // waiting or already linked: gone either way
        } // closed during the merge (or just after it): the older snapshot stays, or a new one is written
        await using (var reopened = await EmbeddingIndex.OpenAsync(store, Entries.Model, Dimensions, options))
        {
            Assert.Equal((IndexOrigin.Snapshot, 5_999L), (reopened.Statistics().Origin, reopened.Count));
            Assert.True((await reopened.VerifyAsync()).Consistent);
            Assert.Equal(Entries.Uid("1", 4_321), (await reopened.SearchAsync(new SimilarityQuery(Entries.Model, Many(4_321)) { K = 1 }))[0].Entry.SopInstanceUid);
            Assert.DoesNotContain(await reopened.SearchAsync(new SimilarityQuery(Entries.Model, Many(5_999)) { K = 5 }), s => s.Entry.SopInstanceUid == Entries.Uid("1", 5_999));
            await reopened.MergePendingAsync();
            Assert.Equal(0, reopened.Statistics().Pending);
            Assert.True((await reopened.VerifyAsync()).Consistent);
        }
    }

    [Fact]
    public async Task A_damaged_or_foreign_snapshot_is_refused_with_its_reason_and_the_index_is_rebuilt_from_the_rows()
    {
        var options = new EmbeddingIndexOptions { ExactSearchLimit = 100 };
        using var store = SqliteEmbeddingStore.Open(Database);
        string statePath;
        await using (var index = await EmbeddingIndex.OpenAsync(store, Entries.Model, Dimensions, options))
        {
            await index.AddRangeAsync([.. Enumerable.Range(0, 300).Select(i => Entries.Make(i, Row(i)))]);
            Assert.True(await index.SaveSnapshotAsync());
            statePath = index.Statistics().SnapshotPath!;
        }
        var good = File.ReadAllBytes(statePath);
        var damages = new Func<byte[], byte[]>[]
        {
            b => b[..(b.Length - 5)],                                         // truncated
            b => [.. b, 0],                                                    // trailing byte
            b => { var c = (byte[])b.Clone(); c[0] ^= 0xFF; return c; },       // not a snapshot
        };
        foreach (var damage in damages)
        {
            File.WriteAllBytes(statePath, damage(good));
            await using var reopened = await EmbeddingIndex.OpenAsync(store, Entries.Model, Dimensions, options);
            var stats = reopened.Statistics();
            Assert.Equal(IndexOrigin.Rows, stats.Origin);
            Assert.Contains("refused", stats.SnapshotProblem, StringComparison.Ordinal);
            Assert.Equal(300, stats.Count);
            Assert.True((await reopened.VerifyAsync()).Consistent);
        }
        // The graph file gone: refused too. (Each rebuild above wrote a fresh snapshot on close.)
        foreach (var graph in Directory.GetFiles(Path.GetDirectoryName(statePath)!, "*.usearch"))
        {
            File.Delete(graph);
        }
        await using var last = await EmbeddingIndex.OpenAsync(store, Entries.Model, Dimensions, options);
        Assert.Contains("graph file", last.Statistics().SnapshotProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_snapshot_that_disagrees_with_the_rows_is_dropped()
    {
        var options = new EmbeddingIndexOptions { ExactSearchLimit = 100 };
        using var store = SqliteEmbeddingStore.Open(Database);
        await using (var index = await EmbeddingIndex.OpenAsync(store, Entries.Model, Dimensions, options))
        {
            await index.AddRangeAsync([.. Enumerable.Range(0, 200).Select(i => Entries.Make(i, Row(i)))]);
            Assert.True(await index.SaveSnapshotAsync());
        }
        // Rows deleted behind the retrieval code's back (no removal recorded): counts no longer agree.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            connection.Open();
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM retrieval_entries WHERE id % 10 = 0";
            delete.ExecuteNonQuery();
        }
        await using var reopened = await EmbeddingIndex.OpenAsync(store, Entries.Model, Dimensions, options);
        Assert.Equal(IndexOrigin.Rows, reopened.Statistics().Origin);
        Assert.Contains("disagreed", reopened.Statistics().SnapshotProblem, StringComparison.Ordinal);
        Assert.Equal(180, reopened.Count);
        Assert.True((await reopened.VerifyAsync()).Consistent);
    }

    [Fact]
    public async Task Searches_pick_up_rows_another_process_wrote_after_the_refresh_interval()
    {
        using var store = SqliteEmbeddingStore.Open(Database);
        await using var reader = await EmbeddingIndex.OpenAsync(store, Entries.Model, Dimensions,
            new EmbeddingIndexOptions { RefreshInterval = TimeSpan.FromMilliseconds(50) });
        await using var writer = await EmbeddingIndex.OpenAsync(SqliteEmbeddingStore.Open(Database), Entries.Model, Dimensions);
        await writer.AddAsync(Entries.Make(1, Row(1)));
        await Task.Delay(100);
        Assert.Single(await reader.SearchAsync(new SimilarityQuery(Entries.Model, Row(1))));
        await writer.RemoveAsync(Entries.Uid("1", 1));
        await reader.CatchUpAsync();
        Assert.Empty(await reader.SearchAsync(new SimilarityQuery(Entries.Model, Row(1))));
    }

    public void Dispose() => folder.Dispose();

    private float[] Row(int i) => ClusteredVectors.Row(rows, Dimensions, i);

    private static float[] Nudge(float[] v, float amount) => [v[0] + amount, .. v[1..]];

    private static long SopNumber(SimilarStudy s) => long.Parse(s.Entry.SopInstanceUid.Split('.')[^1], System.Globalization.CultureInfo.InvariantCulture);
}
