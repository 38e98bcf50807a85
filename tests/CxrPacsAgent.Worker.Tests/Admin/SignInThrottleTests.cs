using System.Net;
using System.Text.Json.Nodes;
using CxrPacsAgent.Worker.Tests.TestSupport;

namespace CxrPacsAgent.Worker.Tests.Admin;

/// <summary>The sign-in lockout on the embedded store: kept in the state file, so a restart forgives nothing.</summary>
public sealed class SignInThrottleTests
{
    [Fact]
    public async Task A_lockout_outlives_a_restart_of_the_agent_and_names_are_counted_without_case()
    {
        using var root = new TempFolder("lockout");
        var settings = new Dictionary<string, string?>
        {
            ["Admin:PasswordHash"] = AdminClient.PasswordHash,
            ["Admin:LockoutFailures"] = "3", ["Admin:LockoutWindow"] = "00:10:00", ["Admin:LockoutDuration"] = "00:10:00",
        };
        await using (var agent = await AgentHarness.StartAsync(settings, root.Path))
        {
            // Three addresses, so only the name (typed three ways) reaches the limit.
            await Task.WhenAll(new[] { "Admin", "ADMIN", "admin" }.Select(async (user, i) =>
            {
                using var client = new AdminClient(agent.Http.BaseAddress!, IPAddress.Parse($"127.0.0.{i + 2}"));
                using var response = await client.SignInAsync(user, "wrong horse battery staple");
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }));
        }

        await using var restarted = await AgentHarness.StartAsync(settings, root.Path);
        using var again = new AdminClient(restarted.Http.BaseAddress!, IPAddress.Parse("127.0.0.9"));
        using var locked = await again.SignInAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Equal("Try again in 10 min.", (string?)JsonNode.Parse(await locked.Content.ReadAsStringAsync())!["detail"]);
    }
}
