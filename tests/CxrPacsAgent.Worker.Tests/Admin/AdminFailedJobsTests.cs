using System.Net;
using System.Text.Json.Nodes;
using CxrPacsAgent.Worker.Admin;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.Tests.TestSupport;

namespace CxrPacsAgent.Worker.Tests.Admin;

/// <summary>
/// Processing failures through the admin API on a running service: listed, retried (after the cause is put right,
/// processed to the end with its thumbnail and accession hash), cancelled, refused where there is nothing to retry,
/// and every action audited.
/// </summary>
public sealed class AdminFailedJobsTests
{
    [Fact]
    public async Task A_failed_job_is_retried_or_cancelled_through_the_API_and_each_action_is_audited()
    {
        using var temp = new TempFolder("admin-failed");
        var intact = TestInstances.FrontalDx(temp.Path, size: 256, seed: 3);
        var damaged = TestInstances.WithPixelDataCutShort(intact, temp.Sub("damaged"));
        var other = TestInstances.WithPixelDataCutShort(TestInstances.FrontalDx(temp.Path, film: 2, size: 256), temp.Sub("damaged"));
        await using var agent = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["Admin:PasswordHash"] = AdminClient.PasswordHash });
        await agent.SendAsync(damaged, other);
        var job = await agent.WaitForAsync(TestInstances.SopInstanceUid(intact));
        var second = await agent.WaitForAsync(TestInstances.SopInstanceUid(other));
        Assert.Equal((JobState.Failed, JobState.Failed), (job.State, second.State));
        using var client = new AdminClient(agent.Http.BaseAddress!);
        using (var signIn = await client.SignInAsync())
        {
            Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        }

        var listed = (await client.GetJsonAsync("/admin/api/failed-jobs")).AsArray();
        Assert.Equal(new[] { job.Ref.Id, second.Ref.Id }.Order(), listed.Select(j => (long)j!["id"]!).Order());
        Assert.All(listed, j => Assert.Equal(("failed", "nothing to send", (string?)null), ((string)j!["state"]!, (string)j["delivery"]!, (string?)j["thumbnail"])));
        Assert.Equal(job.Reason, (string?)listed.Single(j => (long)j!["id"]! == job.Ref.Id)!["reason"]);
        using (var noToken = await client.PostAsync("/admin/api/failed-jobs/retry", new JsonObject { ["ids"] = new JsonArray(job.Ref.Id) }, withToken: false))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        }
        using (var empty = await client.PostAsync("/admin/api/failed-jobs/cancel", new JsonObject { ["ids"] = new JsonArray() }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        }

        // The first put right (an intact copy in the spool) and retried with an unknown id; the second's copy is gone.
        File.Copy(intact, Path.Combine(agent.Paths.Spool, job.SpoolFile), overwrite: true);
        File.Delete(Path.Combine(agent.Paths.Spool, second.SpoolFile));
        var outcomes = await ActAsync(client, "retry", job.Ref.Id, job.Ref.Id, second.Ref.Id, 9999);
        Assert.Equal([(job.Ref.Id, true), (second.Ref.Id, false), (9999, false)], outcomes.Select(o => (o.Id, o.Done)));
        Assert.Equal([AdminActions.Text(AdminActionOutcome.SpoolCopyMissing), AdminActions.Text(AdminActionOutcome.NotFound)],
            outcomes.Skip(1).Select(o => o.Outcome));

        var done = await agent.WaitForAsync(TestInstances.SopInstanceUid(intact));
        Assert.Equal((JobState.Completed, job.Ref), (done.State, done.Ref));
        Assert.NotNull(done.Score);
        var study = await client.GetJsonAsync($"/admin/api/studies/{job.Ref.Id}");
        Assert.Matches("^[0-9a-f]{12}$", (string)study["accession"]!["value"]!);
        Assert.False((bool)study["accession"]!["clear"]!);
        using (var thumbnail = await client.Http.GetAsync(new Uri((string)study["thumbnail"]!, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
            Assert.Equal("image/png", thumbnail.Content.Headers.ContentType!.MediaType);
            Assert.True(thumbnail.Headers.CacheControl is { Private: true, NoStore: true });
            Assert.Equal([0x89, 0x50, 0x4E, 0x47], (await thumbnail.Content.ReadAsByteArrayAsync())[..4]);
        }
        using (var none = await client.Http.GetAsync(new Uri($"/admin/api/studies/{second.Ref.Id}/thumbnail", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        }

        // Nothing to retry for the second: Cancel takes it off the list; the processed one is no failure to cancel.
        outcomes = await ActAsync(client, "cancel", second.Ref.Id, job.Ref.Id);
        Assert.Equal([(second.Ref.Id, true), (job.Ref.Id, false)], outcomes.Select(o => (o.Id, o.Done)));
        Assert.Empty((await client.GetJsonAsync("/admin/api/failed-jobs")).AsArray());
        Assert.Equal(JobState.Failed, (await agent.Store.GetAsync(second.Ref.Id))!.State);

        var audit = (await client.GetJsonAsync("/admin/api/audit")).AsArray()
            .Where(e => (string)e!["action"]! != "sign-in").Select(e => $"{e!["action"]} {e["target"]}: {e["outcome"]}").Reverse().ToList();
        Assert.Equal(
        [
            $"retry job {job.Ref.Id}: done", $"retry job {second.Ref.Id}: {AdminActions.Text(AdminActionOutcome.SpoolCopyMissing)}",
            $"retry job 9999: no such item", $"cancel job {second.Ref.Id}: done",
            $"cancel job {job.Ref.Id}: {AdminActions.Text(AdminActionOutcome.NotAFailedJob)}",
        ], audit);
    }

    private static async Task<List<(long Id, string Outcome, bool Done)>> ActAsync(AdminClient client, string action, params long[] ids)
    {
        using var response = await client.PostAsync($"/admin/api/failed-jobs/{action}", new JsonObject { ["ids"] = new JsonArray([.. ids.Select(i => (JsonNode?)i)]) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray()
            .Select(o => ((long)o!["id"]!, (string)o["outcome"]!, (bool)o["done"]!))];
    }
}
