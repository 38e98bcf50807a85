using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CxrPacsAgent.Worker.Tests.Admin;

/// <summary>The admin page's HTTP surface on a running service: sign-in, 401s, antiforgery, actions, masking.</summary>
public sealed class AdminApiTests
{
    private static readonly string[] ApiGets =
        ["/admin/api/me", "/admin/api/overview", "/admin/api/studies", "/admin/api/studies/1", "/admin/api/dead-letters", "/admin/api/audit",
         "/admin/api/configuration"];

    private static Task<AgentHarness> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Admin:PasswordHash"] = AdminClient.PasswordHash };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }
        return AgentHarness.StartAsync(all);
    }

    private static async Task<AdminClient> SignedInAsync(AgentHarness agent)
    {
        var client = new AdminClient(agent.Http.BaseAddress!);
        using var response = await client.SignInAsync();
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return client;
    }

    [Fact]
    public async Task Without_a_session_the_API_answers_401_with_no_data_and_the_page_sends_you_to_sign_in()
    {
        await using var agent = await StartAsync();
        using var client = new AdminClient(agent.Http.BaseAddress!);
        foreach (var path in ApiGets)
        {
            using var response = await client.Http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("", await response.Content.ReadAsStringAsync());
        }
        await client.RefreshTokenAsync();
        using (var retry = await client.PostAsync("/admin/api/dead-letters/retry", new JsonObject { ["ids"] = new JsonArray(1) }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, retry.StatusCode);
        }
        using (var page = await client.Http.GetAsync(new Uri("/admin/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith("/admin/login", page.Headers.Location!.OriginalString.Replace(agent.Http.BaseAddress!.ToString().TrimEnd('/'), "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        using var login = await client.Http.GetAsync(new Uri("/admin/login", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("text/html", login.Content.Headers.ContentType!.MediaType);
        Assert.Contains("default-src 'self'", login.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", login.Headers.GetValues("X-Frame-Options").Single());
        foreach (var asset in new[] { "admin.css", "admin.js", "login.js" })
        {
            using var response = await client.Http.GetAsync(new Uri($"/admin/assets/{asset}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using var missing = await client.Http.GetAsync(new Uri("/admin/assets/..%2Fappsettings.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        // The service's own endpoints stay as they were.
        using var health = await client.Http.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Signing_in_needs_the_antiforgery_token_and_the_right_password_and_every_attempt_is_audited()
    {
        await using var agent = await StartAsync();
        using var client = new AdminClient(agent.Http.BaseAddress!);
        using (var noToken = await client.PostAsync("/admin/login", new JsonObject { ["user"] = AdminClient.User, ["password"] = AdminClient.Password }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
            Assert.Contains("antiforgery", await noToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var wrong = await client.SignInAsync(password: "wrong horse battery staple"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using (var wrongUser = await client.SignInAsync(user: "root\nforged line"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrongUser.StatusCode);
        }
        using (var right = await client.SignInAsync())
        {
            Assert.Equal(HttpStatusCode.NoContent, right.StatusCode);
        }
        // The keys that sign the cookie live in the agent's state folder, so a restart keeps the session.
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(agent.Paths.StateFolder, "data-protection"), "key-*.xml"));
        var cookie = client.Cookies.Single(c => c.Name == "cxr-admin");
        Assert.Equal(("/admin", true), (cookie.Path, cookie.HttpOnly));
        Assert.Equal(AdminClient.User, (string?)(await client.GetJsonAsync("/admin/api/me"))["user"]);

        var audit = (await client.GetJsonAsync("/admin/api/audit")).AsArray();
        Assert.Equal(["done", "refused", "refused"], audit.Select(e => (string)e!["outcome"]!));
        Assert.All(audit, e => Assert.Equal(("sign-in", "127.0.0.1"), ((string)e!["action"]!, (string)e["client"]!)));
        Assert.Equal("rootforged line", (string?)audit[1]!["user"]);

        using (var logout = await client.PostAsync("/admin/logout", new JsonObject()))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }
        using var after = await client.Http.GetAsync(new Uri("/admin/api/overview", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Behind_a_trusted_proxy_the_lockout_and_audit_count_the_client_it_forwards_for_and_nobody_else_is_believed(bool trusted)
    {
        // The "proxy" connects from 127.0.0.7; the agent believes its X-Forwarded-For only when it is listed.
        await using var agent = await StartAsync(new Dictionary<string, string?>
        {
            ["Admin:LockoutFailures"] = "2", ["Http:TrustedProxies"] = trusted ? "127.0.0.7; ::1" : "",
        });
        AdminClient Via(string client)
        {
            var proxy = new AdminClient(agent.Http.BaseAddress!, IPAddress.Parse("127.0.0.7"));
            proxy.Http.DefaultRequestHeaders.Add("X-Forwarded-For", client);
            return proxy;
        }
        foreach (var user in new[] { "first", "second" })
        {
            using var guesser = Via("203.0.113.1");
            using var refused = await guesser.SignInAsync(user, "wrong horse battery staple");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // Another client through the same proxy: trusted, only 203.0.113.1 is locked out; otherwise the proxy's own
        // address is, for everyone behind it — and a forged header does not get a client out of its lockout.
        using var colleague = Via("203.0.113.2");
        using var signIn = await colleague.SignInAsync();
        Assert.Equal(trusted ? HttpStatusCode.NoContent : HttpStatusCode.TooManyRequests, signIn.StatusCode);
        using var admin = await SignedInAsync(agent);
        var clients = (await admin.GetJsonAsync("/admin/api/audit")).AsArray()
            .Where(e => (string)e!["user"]! != AdminClient.User || (string)e["client"]! != "127.0.0.1").Select(e => (string)e!["client"]!).Distinct();
        Assert.Equal(trusted ? ["203.0.113.2", "203.0.113.1"] : ["127.0.0.7"], clients);
    }

    [Fact]
    public async Task Repeated_failed_sign_ins_lock_out_the_name_and_the_address_alike_for_a_while_audited_and_counted()
    {
        await using var agent = await StartAsync(new Dictionary<string, string?>
        {
            ["Admin:LockoutFailures"] = "3", ["Admin:LockoutWindow"] = "00:01:00", ["Admin:LockoutDuration"] = "00:00:06",
        });
        AdminClient From(int last) => new(agent.Http.BaseAddress!, IPAddress.Parse($"127.0.0.{last}"));
        async Task FailAsync(int from, params string[] users) => await Task.WhenAll(users.Select(async user =>
        {
            using var client = From(from);
            using var response = await client.SignInAsync(user, "wrong horse battery staple");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }));

        // Per user name: three failures from one address lock the name out everywhere, the right password included;
        // a name that does not exist is locked out the same way, so the answer says nothing about which names exist.
        await FailAsync(2, AdminClient.User, AdminClient.User, AdminClient.User);
        var nameLockedUntil = DateTime.UtcNow.AddSeconds(6);
        await FailAsync(4, "ghost", "ghost", "ghost");
        using var elsewhere = From(3);
        using var locked = await elsewhere.SignInAsync();
        using var fifth = From(5);
        using var ghost = await fifth.SignInAsync("ghost", AdminClient.Password);
        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests), (locked.StatusCode, ghost.StatusCode));
        // The same answer for both, but for the seconds left.
        string Shape(string json) => System.Text.RegularExpressions.Regex.Replace(
            $"{JsonNode.Parse(json)!["status"]} {JsonNode.Parse(json)!["detail"]}", "[0-9]+ s", "N s");
        Assert.Equal("429 Try again in N s.", Shape(await locked.Content.ReadAsStringAsync()));
        Assert.Equal("429 Try again in N s.", Shape(await ghost.Content.ReadAsStringAsync()));
        Assert.InRange(int.Parse(locked.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture), 1, 6);

        // Per address: three failures with three names lock the address out, for the right name and password too.
        await FailAsync(6, "alice", "bob", "carol");
        using (var sameAddress = await From(6).SignInAsync())
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, sameAddress.StatusCode);
        }
        // Another address, another name: untouched.
        using (var other = await From(7).SignInAsync("dave", "wrong horse battery staple"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        }

        // After the lockout the right password works again.
        if (nameLockedUntil - DateTime.UtcNow + TimeSpan.FromSeconds(0.2) is { Ticks: > 0 } rest)
        {
            await Task.Delay(rest);
        }
        using (var again = await elsewhere.SignInAsync())
        {
            Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        }
        var audit = (await elsewhere.GetJsonAsync("/admin/api/audit")).AsArray();
        var lockouts = audit.Where(e => (string)e!["outcome"]! == "locked out").Select(e => ((string)e!["user"]!, (string)e["client"]!)).ToList();
        Assert.Equal(new[] { ("admin", "127.0.0.6"), ("ghost", "127.0.0.5"), ("admin", "127.0.0.3") }, lockouts);
        Assert.Equal(3, audit.Count(e => ((string)e!["outcome"]!).StartsWith("refused; locked out", StringComparison.Ordinal)));
        var metrics = await agent.GetAsync("/metrics");
        Assert.Contains("cxr_agent_admin_sign_ins_total{outcome=\"locked-out\"} 3", metrics, StringComparison.Ordinal);
        Assert.Contains("cxr_agent_admin_sign_ins_total{outcome=\"refused\"} 10", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_and_cancel_need_the_token_refuse_bad_lists_and_answer_and_audit_each_item()
    {
        await using var agent = await StartAsync();
        using var client = await SignedInAsync(agent);
        using (var noToken = await client.PostAsync("/admin/api/dead-letters/retry", new JsonObject { ["ids"] = new JsonArray(1) }, withToken: false))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        }
        foreach (var bad in new JsonNode[] { new JsonObject(), new JsonObject { ["ids"] = new JsonArray() },
                     new JsonObject { ["ids"] = new JsonArray([.. Enumerable.Range(1, 1001).Select(i => (JsonNode?)i)]) } })
        {
            using var response = await client.PostAsync("/admin/api/dead-letters/cancel", bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        using (var retry = await client.PostAsync("/admin/api/dead-letters/retry", new JsonObject { ["ids"] = new JsonArray(404, 404) }))
        {
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
            var outcome = Assert.Single(JsonNode.Parse(await retry.Content.ReadAsStringAsync())!.AsArray())!;
            Assert.Equal((404L, "no such item", false), ((long)outcome["id"]!, (string)outcome["outcome"]!, (bool)outcome["done"]!));
        }
        var audit = (await client.GetJsonAsync("/admin/api/audit")).AsArray();
        Assert.Equal(("retry", "outbox item 404", "no such item", AdminClient.User),
            ((string)audit[0]!["action"]!, (string)audit[0]!["target"]!, (string)audit[0]!["outcome"]!, (string)audit[0]!["user"]!));
        Assert.Equal(2, audit.Count);
    }

    [Fact]
    public async Task The_configuration_is_shown_with_secrets_masked()
    {
        await using var agent = await StartAsync(new Dictionary<string, string?> { ["Outbox:BatchSize"] = "17" });
        using var client = await SignedInAsync(agent);
        var rows = (await client.GetJsonAsync("/admin/api/configuration")).AsArray()
            .ToDictionary(r => (string)r!["key"]!, r => ((string?)r!["value"], (bool)r["masked"]!));
        Assert.Equal(("17", false), rows["Outbox:BatchSize"]);
        Assert.Equal(("********", true), rows["Admin:PasswordHash"]);
        Assert.DoesNotContain(AdminClient.PasswordHash, (await client.Http.GetStringAsync(new Uri("/admin/api/configuration", UriKind.Relative))), StringComparison.Ordinal);
        Assert.True(CxrPacsAgent.Worker.Admin.ConfigurationView.IsSecret("Database:ConnectionString"));
        Assert.True(CxrPacsAgent.Worker.Admin.ConfigurationView.IsSecret("Dicom:Tls:PrivateKeyPassword"));
        Assert.False(CxrPacsAgent.Worker.Admin.ConfigurationView.IsSecret("Inference:ModelPath"));
    }

    [Fact]
    public async Task Patient_data_is_shown_only_when_a_setting_turns_it_on_and_only_while_the_spool_copy_is_kept()
    {
        using var temp = new TempFolder("admin-patient");
        var file = TestInstances.FrontalDx(temp.Path, size: 256);
        var uid = TestInstances.SopInstanceUid(file);
        await using var agent = await StartAsync(new Dictionary<string, string?>
        {
            ["Admin:ShowPatientData"] = "true", ["Housekeeping:KeepProcessedFor"] = "01:00:00",
        });
        await agent.SendAsync(file);
        var job = await agent.WaitForAsync(uid);
        using var client = await SignedInAsync(agent);
        var patient = (await client.GetJsonAsync($"/admin/api/studies/{job.Ref.Id}"))["patient"]!;
        Assert.Equal((true, TestInstances.PatientName, TestInstances.PatientId),
            ((bool)patient["available"]!, (string?)patient["patientName"], (string?)patient["patientId"]));
        Assert.True((bool)(await client.GetJsonAsync("/admin/api/me"))["showPatientData"]!);

        // The clean-up removed the copy: nothing to show, and the page says why.
        File.Delete(Path.Combine(agent.Paths.Spool, job.SpoolFile));
        patient = (await client.GetJsonAsync($"/admin/api/studies/{job.Ref.Id}"))["patient"]!;
        Assert.False((bool)patient["available"]!);
        Assert.Contains("KeepProcessedFor", (string?)patient["why"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync(new Uri("/admin/api/studies/999", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Without_a_password_hash_the_admin_page_is_off()
    {
        await using var agent = await AgentHarness.StartAsync();
        foreach (var path in new[] { "/admin/", "/admin/login", "/admin/api/overview", "/admin/antiforgery" })
        {
            using var response = await agent.Http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public void A_password_hash_that_is_not_one_stops_start_up_naming_the_key()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Admin:PasswordHash"] = "hunter2", ["Admin:SessionTimeout"] = "00:00:00" }).Build();
        var services = new ServiceCollection().AddCxrAgent(configuration).BuildServiceProvider();
        var problems = AgentHost.ConfigurationProblems(services);
        Assert.Contains(problems, p => p.StartsWith("Admin:PasswordHash:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Admin:SessionTimeout:", StringComparison.Ordinal));
        Assert.False(CxrPacsAgent.Worker.Admin.AdminPassword.Verify("hunter2", "hunter2"));
        Assert.True(CxrPacsAgent.Worker.Admin.AdminPassword.Verify(AdminClient.PasswordHash, AdminClient.Password));
        Assert.False(CxrPacsAgent.Worker.Admin.AdminPassword.Verify(AdminClient.PasswordHash, AdminClient.Password + " "));
    }
}
