using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CxrPacsAgent.Worker.Admin;
using CxrPacsAgent.Worker.Outbox;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CxrPacsAgent.Worker.Tests.Admin;

/// <summary>
/// Retry on real dead letters of a running service whose only destination never answers: the document comes back
/// from the dead-letter folder when the clean-up has removed it from the outbox, and every attempt is audited.
/// </summary>
public sealed class AdminActionsTests : IDisposable
{
    private readonly TempFolder temp = new("admin-actions");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Retry_restores_a_released_document_from_the_dead_letters_and_reports_what_it_could_not_do()
    {
        var file = TestInstances.FrontalDx(temp.Path, size: 256);
        var uid = TestInstances.SopInstanceUid(file);
        await using var agent = await AgentHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Destinations:0:Name"] = "pacs",
            ["Destinations:0:AeTitle"] = "PACS",
            ["Destinations:0:Host"] = "127.0.0.1",
            ["Destinations:0:Port"] = ClosedPort().ToString(CultureInfo.InvariantCulture),
            ["Outbox:FirstRetryDelay"] = "00:00:01",
            ["Outbox:MaxRetryDelay"] = "00:00:01",
            ["Outbox:PollInterval"] = "00:00:01",
            ["Outbox:ConnectTimeout"] = "00:00:01",
            ["Outbox:MaxAge"] = "00:00:02",
        });
        await agent.SendAsync(file);
        var job = await agent.WaitForAsync(uid);
        Assert.Equal(JobState.Undelivered, job.State);
        var letters = (await agent.Store.DeliveriesAsync(job.Ref.Id)).Select(d => d.Item).ToList();
        Assert.Equal(2, letters.Count);
        var (restored, lost) = (letters[0], letters[1]);
        var folder = agent.Services.GetRequiredService<DeadLetterFolder>().FolderFor("pacs");
        string Copy(OutboxItem item) => Path.Combine(folder, Path.GetFileName(item.Document.File));
        string Queued(OutboxItem item) => Path.Combine(agent.Paths.Outbox, item.Document.File);
        var bytes = await File.ReadAllBytesAsync(Copy(restored));

        // As the clean-up does once every destination has settled: the outbox files go; for one, the copy too.
        File.Delete(Queued(restored));
        File.Delete(Queued(lost));
        File.Delete(Copy(lost));

        var actions = agent.Services.GetRequiredService<AdminActions>();
        var user = new AdminUser("admin", "192.0.2.7");
        var outcomes = await actions.RetryAsync([restored.Id, lost.Id, restored.Id, 9999], user, CancellationToken.None);
        Assert.Equal([(restored.Id, AdminActionOutcome.Done), (lost.Id, AdminActionOutcome.FileMissing), (9999, AdminActionOutcome.NotFound)], outcomes);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Queued(restored)));
        Assert.False(File.Exists(Copy(restored)));
        Assert.False(File.Exists(Copy(restored) + ".reason.json"));
        var again = await agent.Store.DeliveryAsync(restored.Id);
        Assert.True(again!.State == OutboxItemState.Pending || again.Item.CreatedAt > restored.CreatedAt, again.ToString());
        Assert.Equal(OutboxItemState.DeadLetter, (await agent.Store.DeliveryAsync(lost.Id))!.State);
        Assert.Equal([(lost.Id, AdminActionOutcome.Done)], await actions.CancelAsync([lost.Id], user, CancellationToken.None));
        Assert.Equal([(lost.Id, AdminActionOutcome.NotADeadLetter)], await actions.RetryAsync([lost.Id], user, CancellationToken.None));

        var audit = await agent.Store.AuditAsync(10);
        Assert.Equal(
            [("retry", $"outbox item {lost.Id}", "not a dead letter (already retried, delivered or cancelled)"), ("cancel", $"outbox item {lost.Id}", "done"),
             ("retry", "outbox item 9999", "no such item"), ("retry", $"outbox item {lost.Id}", AdminActions.Text(AdminActionOutcome.FileMissing)),
             ("retry", $"outbox item {restored.Id}", "done")],
            audit.Select(e => (e.Action, e.Target, e.Outcome)));
        Assert.All(audit, e => Assert.Equal(("admin", "192.0.2.7"), (e.User, e.Client)));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
