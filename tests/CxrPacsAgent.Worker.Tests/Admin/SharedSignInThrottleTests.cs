using System.Net;
using CxrPacsAgent.Testing;
using CxrPacsAgent.Worker.Admin;
using CxrPacsAgent.Worker.State.Postgres;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CxrPacsAgent.Worker.Tests.Admin;

/// <summary>
/// The sign-in lockout of several agents sharing one PostgreSQL store: their failures add up to one lockout, none is
/// lost when they arrive together, and with the store out of reach nobody signs in.
/// </summary>
[Collection(PostgresCluster.Collection)]
public sealed class SharedSignInThrottleTests(PostgresCluster cluster) : IAsyncLifetime
{
    private readonly List<PostgresStateStore> stores = [];

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));

    private static readonly AdminOptions Policy = new()
    {
        LockoutFailures = 10, LockoutWindow = TimeSpan.FromMinutes(15), LockoutDuration = TimeSpan.FromMinutes(15),
    };

    /// <summary>Two agents' throttles over one database, each with its own store (its own connections).</summary>
    private async Task<(SignInThrottle A, SignInThrottle B)> TwoAgentsAsync()
    {
        var database = await cluster.CreateDatabaseAsync();
        var throttles = new List<SignInThrottle>();
        for (var i = 0; i < 2; i++)
        {
            var store = new PostgresStateStore(database, TimeSpan.FromSeconds(30), time);
            stores.Add(store);
            await store.InitializeAsync();
            throttles.Add(new SignInThrottle(Options.Create(Policy), store, time));
        }
        return (throttles[0], throttles[1]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Failures_made_at_two_agents_add_up_to_one_lockout_that_both_enforce_and_success_clears()
    {
        var (a, b) = await TwoAgentsAsync();
        // Nine failures, alternating agents and addresses: one short of the limit for the name.
        for (var i = 0; i < 9; i++)
        {
            Assert.False(await (i % 2 == 0 ? a : b).RecordFailureAsync("admin", $"10.0.0.{i}"));
        }
        Assert.Null(await a.LockedForAsync("admin", "10.0.1.1"));
        // A success at either agent clears the name's count for both.
        await b.RecordSuccessAsync("ADMIN", "10.0.1.1");
        for (var i = 0; i < 9; i++)
        {
            Assert.False(await (i % 2 == 0 ? b : a).RecordFailureAsync("Admin", $"10.0.2.{i}"));
        }
        Assert.True(await a.RecordFailureAsync("admin", "10.0.3.1"));
        Assert.Equal(Policy.LockoutDuration, await b.LockedForAsync("admin", "10.0.1.1"));
        Assert.Equal(Policy.LockoutDuration, await a.LockedForAsync("aDMIN", "10.0.1.1"));
        Assert.Null(await a.LockedForAsync("someone else", "10.0.1.1"));
        time.Advance(Policy.LockoutDuration);
        Assert.Null(await b.LockedForAsync("admin", "10.0.1.1"));
    }

    [Fact]
    public async Task Failures_arriving_together_at_two_agents_are_all_counted()
    {
        var (a, b) = await TwoAgentsAsync();
        // 20 at once, half at each agent, one name and one address: exactly the 10th and the 20th lock,
        // which a lost count would turn into one lock or none (or a double count into three). Meanwhile other
        // names fail and succeed from other addresses, taking the same rows' locks in other combinations.
        var admin = Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).RecordFailureAsync("admin", "10.0.0.1"))).ToList();
        var others = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            var (agent, user, client) = (i % 2 == 0 ? b : a, $"user-{i % 4}", $"10.0.1.{i % 3}");
            if (i % 5 == 0)
            {
                await agent.RecordSuccessAsync(user, client);
                return false;
            }
            return await agent.RecordFailureAsync(user, client);
        })).ToList();
        await Task.WhenAll([.. admin, .. others]);
        var locks = await Task.WhenAll(admin);
        Assert.Equal(2, locks.Count(l => l));
    }

    [Fact]
    public async Task With_the_store_out_of_reach_every_sign_in_is_refused_with_503_and_works_again_once_it_is_back()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var agent = await AgentHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Admin:PasswordHash"] = AdminClient.PasswordHash,
            ["State:Provider"] = "postgresql", ["State:ConnectionString"] = database,
        });
        var name = new NpgsqlConnectionStringBuilder(database).Database!;
        await AllowConnectionsAsync(name, false);
        try
        {
            using var client = new AdminClient(agent.Http.BaseAddress!);
            foreach (var password in new[] { AdminClient.Password, "wrong horse battery staple" })
            {
                using var refused = await client.SignInAsync(password: password);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.DoesNotContain(client.Cookies, c => c.Name == AdminAuthentication.Scheme);
            }
        }
        finally
        {
            await AllowConnectionsAsync(name, true);
        }
        using var back = new AdminClient(agent.Http.BaseAddress!);
        var status = HttpStatusCode.ServiceUnavailable;
        // Connections the server dropped may still wait in the pool: each is found dead on its first use.
        for (var i = 0; i < 20 && status == HttpStatusCode.ServiceUnavailable; i++)
        {
            using var signIn = await back.SignInAsync();
            status = signIn.StatusCode;
        }
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Matches("cxr_agent_admin_sign_ins_total\\{outcome=\"unavailable\"\\} [1-9]", await agent.GetAsync("/metrics"));
    }

    /// <summary>Opens or closes the database to new connections; closing also ends the ones it has.</summary>
    private async Task AllowConnectionsAsync(string database, bool allow)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            ALTER DATABASE {database} ALLOW_CONNECTIONS {(allow ? "true" : "false")};
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND NOT {(allow ? "true" : "false")};
            """, connection);
        await command.ExecuteNonQueryAsync();
    }
}
