using System.Text.Json;
using System.Text.Json.Nodes;
using CxrPacsAgent.Testing;

namespace CxrPacsAgent.Worker.Tests.Cli;

/// <summary>
/// The <c>index</c> verbs on the library of a site whose agents share PostgreSQL: they read the service's configuration
/// (<c>--config</c>, as <c>serve</c> does) and work on the database it names, not on a SQLite file.
/// </summary>
[Collection(PostgresCluster.Collection)]
public sealed class IndexCommandPostgresTests(PostgresCluster cluster) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cxr-index-pg-").FullName;

    private string WriteConfig(JsonObject state)
    {
        var path = Path.Combine(folder, $"appsettings-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, new JsonObject { ["Storage"] = new JsonObject { ["Root"] = Path.Combine(folder, "shared") }, ["State"] = state }.ToJsonString());
        return path;
    }

    [Fact]
    public async Task Import_stats_query_rebuild_and_remove_use_the_PostgreSQL_library_the_configuration_names()
    {
        var database = await cluster.CreateDatabaseAsync();
        var config = WriteConfig(new JsonObject { ["Provider"] = "postgresql", ["ConnectionString"] = database });
        var data = IndexCommandTests.LabelledSubset(folder, "set", train: 4, val: 1);

        var (code, stdout, stderr) = CliRunner.Run("index", "import", "--data", data, "--split", "train", "--config", config);
        Assert.True(code == 0, stderr);
        Assert.Contains("imported 8 images", stdout, StringComparison.Ordinal);
        // The salt is the service's, in the shared state folder; no SQLite database was made anywhere.
        Assert.True(File.Exists(Path.Combine(folder, "shared", "state", "patient-id.salt")));
        Assert.Empty(Directory.GetFiles(folder, "*.db", SearchOption.AllDirectories));

        (code, stdout, stderr) = CliRunner.Run("index", "stats", "--verify", "--config", config);
        Assert.True(code == 0, stderr);
        Assert.Contains("PostgreSQL database t", stdout, StringComparison.Ordinal);
        Assert.Contains(": 8 entries (8 with reference labels), 128-dimensional", stdout, StringComparison.Ordinal);
        Assert.Contains("verified: 8 rows, every one indexed with its vector", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", stdout, StringComparison.OrdinalIgnoreCase);

        var query = Path.Combine(data, File.ReadLines(Path.Combine(data, "labels.csv")).Last().Split(',')[0]);
        (code, stdout, stderr) = CliRunner.Run("index", "query", query, "--json", "--k", "2", "--config", config);
        Assert.True(code == 0, stderr);
        string nearest;
        using (var json = JsonDocument.Parse(stdout.Trim()))
        {
            Assert.Equal(8, json.RootElement.GetProperty("library_size").GetInt32());
            nearest = json.RootElement.GetProperty("neighbours")[0].GetProperty("sop_instance_uid").GetString()!;
        }

        (code, stdout, stderr) = CliRunner.Run("index", "rebuild", "--config", config);
        Assert.True(code == 0, stderr);
        Assert.Contains(": 8 entries", stdout, StringComparison.Ordinal);
        (code, _, stderr) = CliRunner.Run("index", "remove", nearest, "--config", config);
        Assert.True(code == 0, stderr);
        (code, stdout, stderr) = CliRunner.Run("index", "stats", "--config", config);
        Assert.True(code == 0, stderr);
        Assert.Contains(": 7 entries", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configuration_the_verbs_cannot_use_is_named_not_a_stack_trace()
    {
        var (code, _, stderr) = CliRunner.Run("index", "stats", "--config", Path.Combine(folder, "missing.json"));
        Assert.Equal(2, code);
        Assert.Contains("--config", stderr, StringComparison.Ordinal);

        (code, _, stderr) = CliRunner.Run("index", "stats", "--config", WriteConfig(new JsonObject { ["Provider"] = "postgresql" }));
        Assert.Equal(2, code);
        Assert.Contains("State:ConnectionString: a value is required", stderr, StringComparison.Ordinal);

        // A server that is not there: a one-line error, exit 3.
        var nobody = cluster.ConnectionString("nope").Replace($"Port={cluster.Port}", "Port=1", StringComparison.Ordinal);
        (code, _, stderr) = CliRunner.Run("index", "stats", "--config", WriteConfig(new JsonObject { ["Provider"] = "postgresql", ["ConnectionString"] = nobody }));
        Assert.Equal(3, code);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
