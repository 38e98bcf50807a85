using System.Net;
using System.Text.Json.Nodes;
using CxrPacsAgent.Testing;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Npgsql;

namespace CxrPacsAgent.Worker.Tests.Admin;

/// <summary>
/// The overview lists every agent of the site: the shared store's heartbeat rows (another agent's written here as
/// its heartbeat would write them), each alive or stale by its last heartbeat, with its claims and model package.
/// </summary>
[Collection(PostgresCluster.Collection)]
public sealed class AdminAgentsTests(PostgresCluster cluster)
{
    [Fact]
    public async Task The_overview_lists_each_agent_sharing_the_store_alive_or_stale_with_its_claims_and_model()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var agent = await AgentHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Admin:PasswordHash"] = AdminClient.PasswordHash,
            ["State:Provider"] = "postgresql", ["State:ConnectionString"] = database,
            ["State:Heartbeat"] = "00:00:01", ["State:Lease"] = "00:00:10",
        });
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            // Another agent's rows as its heartbeat leaves them: one beating now, one silent for longer than the lease.
            await using var insert = new NpgsqlCommand("""
                INSERT INTO agents (agent_id, started_at, heartbeat_at, model) VALUES
                    ('other-host-1-aaaa', now() - interval '1 hour', now(), 'cxr-pneumonia-adult-resnet18 1.1.0'),
                    ('gone-host-2-bbbb', now() - interval '2 hours', now() - interval '2 minutes', NULL)
                """, connection);
            await insert.ExecuteNonQueryAsync();
        }
        using var client = new AdminClient(agent.Http.BaseAddress!);
        using (var signIn = await client.SignInAsync())
        {
            Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        }

        JsonArray agents = [];
        for (var i = 0; i < 50 && !(agents = (await client.GetJsonAsync("/admin/api/overview"))["agents"]!.AsArray()).Any(a => (bool)a!["self"]!); i++)
        {
            await Task.Delay(100);
        }
        var byId = agents.ToDictionary(a => (string)a!["agentId"]!, a => a!.AsObject());
        Assert.Equal(3, byId.Count);
        var self = byId.Values.Single(a => (bool)a["self"]!);
        Assert.Equal(("alive", 0L), ((string)self["state"]!, (long)self["outboxClaims"]!));
        var model = (await client.GetJsonAsync("/admin/api/overview"))["model"]!;
        Assert.Equal($"{(string?)model["name"]} {(string?)model["version"]}", (string?)self["model"]);
        // Written by this agent's heartbeat (every State:Heartbeat), for the other agents' pages.
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT model FROM agents WHERE agent_id = @id", connection);
            read.Parameters.AddWithValue("id", (string)self["agentId"]!);
            string? written = null;
            for (var i = 0; i < 100 && (written = await read.ExecuteScalarAsync() as string) is null; i++)
            {
                await Task.Delay(100);
            }
            Assert.Equal((string?)self["model"], written);
        }
        Assert.Equal(("alive", "cxr-pneumonia-adult-resnet18 1.1.0", 0L, false),
            ((string)byId["other-host-1-aaaa"]["state"]!, (string?)byId["other-host-1-aaaa"]["model"], (long)byId["other-host-1-aaaa"]["jobClaims"]!,
             (bool)byId["other-host-1-aaaa"]["self"]!));
        Assert.Equal(("stale", null), ((string)byId["gone-host-2-bbbb"]["state"]!, (string?)byId["gone-host-2-bbbb"]["model"]));
    }

    [Fact]
    public async Task On_its_own_SQLite_store_the_overview_lists_this_agent_alone()
    {
        await using var agent = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["Admin:PasswordHash"] = AdminClient.PasswordHash });
        using var client = new AdminClient(agent.Http.BaseAddress!);
        using (var signIn = await client.SignInAsync())
        {
            Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        }
        var overview = await client.GetJsonAsync("/admin/api/overview");
        var only = Assert.Single(overview["agents"]!.AsArray())!;
        Assert.Equal((true, "alive", Environment.MachineName), ((bool)only["self"]!, (string)only["state"]!, (string)only["agentId"]!));
        Assert.Null(only["jobClaims"]);
    }
}
