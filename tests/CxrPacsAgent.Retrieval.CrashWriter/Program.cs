using System.Globalization;
using CxrPacsAgent.Retrieval;
using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Storage.Sqlite;

// Usage: CrashWriter DATABASE ROUND. Adds entries one transaction at a time, replacing and removing some, with the
// index small enough to be HNSW and snapshotting often, printing "op N" after each change until it is killed.
var database = args[0];
var round = int.Parse(args[1], CultureInfo.InvariantCulture);
const int dimensions = 32;
var model = new ModelIdentity("crash-test-model", "1");
using var store = SqliteEmbeddingStore.Open(database);
await using var index = await EmbeddingIndex.OpenAsync(store, model, dimensions, CrashOptions.Index);
var random = new Random(round);
Console.WriteLine($"open {index.Statistics().Origin} {index.Count}");
for (var n = 0; ; n++)
{
    var id = (round * 1_000_000L) + n;
    if (n % 10 == 9)
    {
        await index.AddAsync(Entry(id - 5)); // replace: same SOP Instance UID, new vector
    }
    else if (n % 15 == 14)
    {
        await index.RemoveAsync(Uid(1, id - 3));
    }
    else
    {
        await index.AddAsync(Entry(id));
    }
    Console.WriteLine($"op {n}");
}

LibraryEntry Entry(long id) => new()
{
    Model = model,
    SopInstanceUid = Uid(1, id),
    SeriesInstanceUid = Uid(2, id),
    StudyInstanceUid = Uid(3, id),
    Score = (float)random.NextDouble(),
    ModelLabel = "NORMAL",
    Embedding = [.. Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() - 0.5))],
};

static string Uid(int kind, long id) => $"1.2.826.0.1.3680043.10.1234.{kind}.{id}";

/// <summary>Shared with the test that reopens what this process leaves behind.</summary>
public static class CrashOptions
{
    public static EmbeddingIndexOptions Index { get; } = new() { ExactSearchLimit = 40, SnapshotEvery = 25, RefreshInterval = TimeSpan.Zero };
}
