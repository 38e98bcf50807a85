using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Retrieval;
using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Patients;
using CxrPacsAgent.Retrieval.Storage.Sqlite;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.Tests.Cli;
using CxrPacsAgent.Worker.Tests.Results;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CxrPacsAgent.Worker.Tests.Retrieval;

/// <summary>
/// The service's similar-study library end to end: each scored film is searched for in the library, then added; the
/// neighbours and the vote reach the JSON result, the SR (judged by dciodvfy and DCMTK) and the SC; the library
/// outlives a restart; the patient's own films and the study itself are left out.
/// </summary>
public sealed class SimilarStudyLibraryTests : IDisposable
{
    private readonly TempFolder temp = new("library");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Each_film_finds_the_earlier_ones_of_other_patients_and_the_SR_and_SC_show_them()
    {
        var first = TestInstances.FrontalDx(temp.Path, film: 1, patientId: "PID-LIB-A");
        var second = TestInstances.FrontalDx(temp.Path, film: 2, patientId: "PID-LIB-B");
        // The first film again with a little noise, for another patient: its nearest earlier case must be the first film.
        var nearCopy = TestInstances.FrontalDx(temp.Path, film: 1, seed: 7, patientId: "PID-LIB-C");
        // Patient A again in a new study: A's first film is left out, as the library holds B's and C's too.
        var samePatient = TestInstances.FrontalDx(temp.Path, film: 1, seed: 11, patientId: "PID-LIB-A");
        var root = Path.Combine(temp.Path, "agent");

        await using (var agent = await AgentHarness.StartAsync(root: root))
        {
            await agent.SendAsync(first, second);
            Assert.Equal(JobState.Completed, (await agent.WaitForAsync(TestInstances.SopInstanceUid(first))).State);
            Assert.Equal(JobState.Completed, (await agent.WaitForAsync(TestInstances.SopInstanceUid(second))).State);
            // The first two may have been searched for while the other was not yet in the library: no assertion on them.
        }

        // A restart: the library comes back from the rows (and snapshot) in the state database.
        await using (var agent = await AgentHarness.StartAsync(root: root))
        {
            await agent.SendAsync(nearCopy);
            var uid = TestInstances.SopInstanceUid(nearCopy);
            Assert.Equal(JobState.Completed, (await agent.WaitForAsync(uid)).State);
            var similar = agent.Result(uid)["similarStudies"]!.AsObject();
            Assert.Null(similar["problem"]);
            Assert.Equal(4, (int)similar["k"]!);
            var neighbours = similar["neighbours"]!.AsArray().Select(n => n!.AsObject()).ToList();
            Assert.Equal(2, neighbours.Count);   // the two earlier films; k = 4 asks for more than the library has
            var nearest = neighbours[0];
            Assert.Equal(TestInstances.SopInstanceUid(first), (string?)nearest["sopInstanceUid"]);
            Assert.Equal(DicomUids.DigitalXRayImageStorageForPresentation, (string?)nearest["sopClassUid"]);
            Assert.True((double)nearest["similarity"]! > 0.99, $"similarity {nearest["similarity"]} to a noisy copy of the same film");
            Assert.True((double)neighbours[0]["similarity"]! >= (double)neighbours[1]["similarity"]!);
            AssertVoteMatchesNeighbours(similar, neighbours);

            // The SR references the earlier image and carries the similarity; DCMTK and dciodvfy accept it.
            var sr = Path.Combine(agent.Paths.Results, uid + ".sr.dcm");
            Judges.AssertSrValid(sr);
            var (code, dump, err) = CliRunner.Start("dsrdump", "+Pu", sr);
            Assert.True(code == 0, err);
            Assert.Contains(TestInstances.SopInstanceUid(first), dump, StringComparison.Ordinal);
            Assert.Contains("Similar earlier case", dump, StringComparison.Ordinal);
            // The SC says it shows similar cases (their thumbnails come from the library).
            var sc = DicomFile.Open(Path.Combine(agent.Paths.Results, uid + ".sc.dcm")).Dataset;
            Assert.Contains("2 similar earlier cases", sc.GetString(DicomTags.DerivationDescription) ?? "", StringComparison.Ordinal);

            await agent.SendAsync(samePatient);
            var again = TestInstances.SopInstanceUid(samePatient);
            Assert.Equal(JobState.Completed, (await agent.WaitForAsync(again)).State);
            var others = agent.Result(again)["similarStudies"]!["neighbours"]!.AsArray().Select(n => (string?)n!["sopInstanceUid"]).ToList();
            Assert.Equal(2, others.Count);
            Assert.DoesNotContain(TestInstances.SopInstanceUid(first), others);   // patient A's own earlier film
            Assert.Contains("cxr_agent_similar_study_searches_total{outcome=\"found\"} 2", await agent.GetAsync("/metrics"),
                StringComparison.Ordinal);

            // Every film is in the library once, under its own model, with a patient key and never the patient id.
            using var store = SqliteEmbeddingStore.Open(agent.Paths.Database);
            var summary = Assert.Single(await store.SummarizeAsync());
            Assert.Equal(4, summary.Entries);
            var salt = File.ReadAllBytes(Path.Combine(agent.Paths.StateFolder, PatientIdSalt.DefaultFileName));
            Assert.Equal(PatientIdSalt.Bytes, salt.Length);
            Assert.DoesNotContain("PID-LIB-A", File.ReadAllText(agent.Paths.Database, System.Text.Encoding.Latin1), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task With_retrieval_turned_off_the_result_has_no_similar_studies_and_the_library_stays_empty()
    {
        var film = TestInstances.FrontalDx(temp.Path, film: 4);
        await using var agent = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["Retrieval:Enabled"] = "false" });
        await agent.SendAsync(film);
        var uid = TestInstances.SopInstanceUid(film);
        Assert.Equal(JobState.Completed, (await agent.WaitForAsync(uid)).State);
        Assert.Null(agent.Result(uid)["similarStudies"]);
        Assert.DoesNotContain("Similar earlier case", CliRunner.Start("dsrdump", Path.Combine(agent.Paths.Results, uid + ".sr.dcm")).Stdout,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_library_kept_under_another_model_is_not_searched_and_the_log_says_how_to_re_embed_it()
    {
        var root = Path.Combine(temp.Path, "agent");
        string database;
        await using (var agent = await AgentHarness.StartAsync(root: root))
        {
            database = agent.Paths.Database;
        }
        // The library as an earlier model left it (another name and version, the same dimensions).
        var earlier = new ModelIdentity("cxr-earlier-model", "0.9.0");
        using (var rows = SqliteEmbeddingStore.Open(database))
        await using (var index = await EmbeddingIndex.OpenAsync(rows, earlier, 128))
        {
            await index.AddRangeAsync([.. Enumerable.Range(1, 3).Select(i => new LibraryEntry
            {
                Model = earlier, SopInstanceUid = $"1.2.826.0.1.3680043.10.1234.9.{i}", SeriesInstanceUid = "1.2.826.0.1.3680043.10.1234.8",
                StudyInstanceUid = $"1.2.826.0.1.3680043.10.1234.7.{i}", Score = 0.5f, ModelLabel = "NORMAL",
                Embedding = [.. Enumerable.Range(0, 128).Select(d => (float)Math.Sin(i + d))],
            })]);
        }

        var log = new CapturedLog();
        await using (var agent = await AgentHarness.StartAsync(root: root, services: s => s.AddSingleton<ILoggerProvider>(log)))
        {
            var film = TestInstances.FrontalDx(temp.Path, film: 5);
            await agent.SendAsync(film);
            var uid = TestInstances.SopInstanceUid(film);
            Assert.Equal(JobState.Completed, (await agent.WaitForAsync(uid)).State);
            Assert.Empty(agent.Result(uid)["similarStudies"]!["neighbours"]!.AsArray());
        }
        var warning = Assert.Single(log.Entries, e => e.Message.Contains("re-embed", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("but 3 of cxr-earlier-model 0.9.0", warning.Message, StringComparison.Ordinal);
        Assert.Contains("cxr-agent index rebuild --model PACKAGE --from cxr-earlier-model@0.9.0", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Retrieval:K", "0", "Retrieval:K")]
    [InlineData("Retrieval:Search", "faiss", "Retrieval:Search: 'faiss' is not a search engine")]
    // pgvector searches the shared PostgreSQL database: with the embedded SQLite state there is none.
    [InlineData("Retrieval:Search", "pgvector", "Retrieval:Search: pgvector searches inside the shared PostgreSQL database; it needs State:Provider = postgresql")]
    public async Task A_bad_retrieval_setting_stops_the_start_naming_the_key(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AgentHarness.StartAsync(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The vote is the majority of the labelled neighbours; out of distribution a film has no label and no vote.</summary>
    private static void AssertVoteMatchesNeighbours(JsonObject similar, List<JsonObject> neighbours)
    {
        var labels = neighbours.Select(n => (string?)n["label"]).Where(l => l is not null).ToList();
        var vote = similar["vote"]!.AsObject();
        Assert.Equal(labels.Count, (int)vote["labelled"]!);
        if (labels.Count > 0)
        {
            var winner = (string)vote["label"]!;
            Assert.Equal(labels.Count(l => l == winner), (int)vote["votes"]!);
            Assert.True(labels.GroupBy(l => l).All(g => g.Count() <= (int)vote["votes"]!));
        }
        Assert.Equal(neighbours.Average(n => (double)n["score"]!), (double)vote["meanScore"]!, 3);
    }
}
