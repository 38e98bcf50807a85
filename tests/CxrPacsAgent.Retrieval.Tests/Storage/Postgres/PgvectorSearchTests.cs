using CxrPacsAgent.Retrieval.Storage;
using CxrPacsAgent.Retrieval.Storage.Postgres;
using CxrPacsAgent.Retrieval.Tests.TestSupport;
using CxrPacsAgent.Testing;

namespace CxrPacsAgent.Retrieval.Tests.Storage.Postgres;

/// <summary>
/// The optional pgvector search over the shared library. Debian 12 does not package the extension, so on the test
/// machines the search test is skipped (visibly, saying why) and the refusal test runs; where the server has pgvector
/// it is the other way round.
/// </summary>
[Collection(PostgresCluster.Collection)]
public sealed class PgvectorSearchTests(PostgresCluster cluster)
{
    [SkippableFact]
    public async Task Where_the_server_has_no_pgvector_opening_the_search_is_refused_with_the_reason()
    {
        var database = await cluster.CreateDatabaseAsync();
        Skip.If(await PgvectorSearch.ProbeAsync(database), "the server has pgvector: the search test covers it");
        using var store = await PostgresEmbeddingStore.OpenAsync(database);
        var refused = await Assert.ThrowsAsync<RetrievalException>(() => PgvectorSearch.OpenAsync(database));
        Assert.Equal(RetrievalError.SearchUnavailable, refused.Error);
        Assert.Contains("no pgvector extension", refused.Message, StringComparison.Ordinal);
        // The library over it says the same, and leaves the rows' tables as they were.
        refused = await Assert.ThrowsAsync<RetrievalException>(() => PgvectorLibrary.OpenAsync(store, database, Entries.Model, 3));
        Assert.Equal(RetrievalError.SearchUnavailable, refused.Error);
        Assert.Equal(0, await store.CountAsync(await store.RegisterModelAsync(Entries.Model, 3)));
    }

    [SkippableFact]
    public async Task The_search_finds_the_nearest_entries_by_cosine_leaving_out_the_study_and_patient_asked()
    {
        var database = await cluster.CreateDatabaseAsync();
        Skip.If(!await PgvectorSearch.ProbeAsync(database), PostgresCluster.PgvectorNotInstalled);
        using var store = await PostgresEmbeddingStore.OpenAsync(database);
        var model = await store.RegisterModelAsync(Entries.Model, 3);
        var random = new Random(7);
        var entries = Enumerable.Range(1, 200).Select(i => Entries.Make(i, [(float)random.NextDouble() - 0.5f, (float)random.NextDouble() - 0.5f,
            (float)random.NextDouble() - 0.5f], study: i % 50, patientKey: Entries.PatientKey($"p{i % 7}"))).ToList();
        var stored = await store.UpsertAsync(model, entries);
        using var search = await PgvectorSearch.OpenAsync(database);
        Assert.Equal(200, await search.CatchUpAsync(model));
        Assert.Equal(0, await search.CatchUpAsync(model));

        float[] query = [0.3f, -0.2f, 0.1f];
        var (study, patient) = (Entries.Uid("3", 3), Entries.PatientKey("p1"));
        var expected = entries.Select((e, i) => (Id: stored[i].EntryId, e.StudyInstanceUid, e.PatientKey, Similarity: Cosine(query, e.Embedding)))
            .Where(e => e.StudyInstanceUid != study && e.PatientKey != patient)
            .OrderByDescending(e => e.Similarity).Take(5).ToList();
        var found = await search.SearchAsync(model, query, 5, study, patient);
        Assert.Equal(expected.Select(e => e.Id), found.Select(f => f.EntryId));
        Assert.All(found.Zip(expected), p => Assert.Equal(p.Second.Similarity, p.First.Similarity, 4));

        // A removed entry leaves the search with its row.
        var sopOf = entries.Select((e, i) => (stored[i].EntryId, e.SopInstanceUid)).ToDictionary(p => p.EntryId, p => p.SopInstanceUid);
        await store.RemoveAsync(sopOf[found[0].EntryId], model);
        Assert.DoesNotContain(found[0].EntryId, (await search.SearchAsync(model, query, 5, study, patient)).Select(f => f.EntryId));
        await Assert.ThrowsAsync<RetrievalException>(() => search.SearchAsync(model, new float[4], 5));
    }

    private static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);
}
