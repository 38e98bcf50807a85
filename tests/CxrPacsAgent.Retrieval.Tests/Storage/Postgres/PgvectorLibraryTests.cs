using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Opinion;
using CxrPacsAgent.Retrieval.Storage.Postgres;
using CxrPacsAgent.Retrieval.Tests.TestSupport;
using CxrPacsAgent.Testing;

namespace CxrPacsAgent.Retrieval.Tests.Storage.Postgres;

/// <summary>
/// The shared library searched by pgvector, as the service uses it: entries stored through it are found at once (by
/// another agent's library too), entries the index verbs stored are caught up at open, a replaced entry leaves the
/// search, and another model's query is refused. Skipped visibly where the server has no pgvector (Debian 12).
/// </summary>
[Collection(PostgresCluster.Collection)]
public sealed class PgvectorLibraryTests(PostgresCluster cluster)
{
    [SkippableFact]
    public async Task Entries_stored_by_one_agent_and_by_the_index_verbs_are_found_by_another_with_the_exclusions_asked()
    {
        var database = await cluster.CreateDatabaseAsync();
        Skip.If(!await PgvectorSearch.ProbeAsync(database), PostgresCluster.PgvectorNotInstalled);
        using var rows = await PostgresEmbeddingStore.OpenAsync(database);
        // Imported before any agent searched with pgvector (the index verbs write rows only).
        await using (var imported = await EmbeddingIndex.OpenAsync(rows, Entries.Model, 3))
        {
            await imported.AddRangeAsync([Entries.Make(1, [1f, 0f, 0f], patientKey: Entries.PatientKey("pa")), Entries.Make(2, [0f, 1f, 0f], patientKey: Entries.PatientKey("pb"))]);
        }
        await using var agentA = await PgvectorLibrary.OpenAsync(rows, database, Entries.Model, 3);
        Assert.Equal(2, agentA.CaughtUpAtOpen);
        using var rowsB = await PostgresEmbeddingStore.OpenAsync(database);
        await using var agentB = await PgvectorLibrary.OpenAsync(rowsB, database, Entries.Model, 3);
        Assert.Equal(0, agentB.CaughtUpAtOpen);

        await agentA.StoreAsync(Entries.Make(3, [0.9f, 0.1f, 0f], patientKey: Entries.PatientKey("pc"), modelLabel: "PNEUMONIA", score: 0.8f));
        await agentA.StoreAsync(Entries.Make(4, [0.8f, 0.2f, 0f], study: 9, patientKey: Entries.PatientKey("pd")));
        var found = await agentB.SearchAsync(new SimilarityQuery(Entries.Model, [1f, 0.05f, 0f]) { K = 3 });
        Assert.Equal([Entries.Uid("1", 1), Entries.Uid("1", 3), Entries.Uid("1", 4)], found.Select(f => f.Entry.SopInstanceUid));
        Assert.Equal(1f, found[0].Similarity, 2);
        Assert.True(found[0].Similarity >= found[1].Similarity && found[1].Similarity >= found[2].Similarity);

        // The study and patient asked are left out; the vote is the KnnOpinion of what is left.
        var opinion = await agentB.SecondOpinionAsync(new SimilarityQuery(Entries.Model, [1f, 0.05f, 0f])
        {
            K = 2, ExcludeStudyInstanceUid = Entries.Uid("3", 9), ExcludePatientKey = Entries.PatientKey("pa"),
        });
        Assert.Equal([Entries.Uid("1", 3), Entries.Uid("1", 2)], opinion.Neighbours.Select(n => n.Entry.SopInstanceUid));
        Assert.Equal((0.8 + 0.25) / 2, opinion.MeanScore!.Value, 5);

        // The same SOP Instance again replaces the entry: its old vector leaves the search with the old row.
        await agentB.StoreAsync(Entries.Make(3, [0f, 0f, 1f], patientKey: Entries.PatientKey("pc")));
        found = await agentA.SearchAsync(new SimilarityQuery(Entries.Model, [0f, 0f, 1f]) { K = 5 });
        Assert.Equal(4, found.Count);
        Assert.Equal(Entries.Uid("1", 3), found[0].Entry.SopInstanceUid);
        Assert.Single(found, f => f.Entry.SopInstanceUid == Entries.Uid("1", 3));

        var other = await Assert.ThrowsAsync<RetrievalException>(() => agentA.SearchAsync(new SimilarityQuery(new ModelIdentity("other", "1"), [1f, 0f, 0f])));
        Assert.Equal(RetrievalError.ModelMismatch, other.Error);
        var wrongSize = await Assert.ThrowsAsync<RetrievalException>(() => agentA.StoreAsync(Entries.Make(5, [1f, 0f])));
        Assert.Equal(RetrievalError.DimensionMismatch, wrongSize.Error);
    }
}
