using System.Text.Json.Nodes;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Intake;
using CxrPacsAgent.Worker.Pipeline;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Observability;

/// <summary>
/// The JSON of GET /status: the listener, the model, queue depths, jobs by state, the outbox, and the most recent
/// results. SOP Instance UIDs only, no patient data. docs/operations.md describes each field.
/// </summary>
public sealed class StatusReport(AgentReadiness readiness, DicomListenerService listener, ModelHost model, PipelineService pipeline,
    IStateQueries queries, IOptions<DicomOptions> dicom, IOptions<DestinationsOptions> destinations, TimeProvider time,
    IEnumerable<IJobLeases> shared)
{
    public const int RecentResults = 20;

    public async Task<JsonObject> BuildAsync(CancellationToken cancellationToken)
    {
        var counts = await queries.CountsAsync(cancellationToken).ConfigureAwait(false);
        var recent = await queries.RecentAsync(RecentResults, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var statistics = listener.Server?.Statistics;
        return new JsonObject
        {
            ["agent"] = new JsonObject
            {
                ["version"] = typeof(StatusReport).Assembly.GetName().Version?.ToString(),
                ["startedAt"] = readiness.StartedAt,
                ["uptimeSeconds"] = Math.Round((now - readiness.StartedAt).TotalSeconds),
            },
            ["dicom"] = new JsonObject
            {
                ["aeTitle"] = dicom.Value.AeTitle,
                ["port"] = listener.Port,
                ["listening"] = readiness.Listening,
                ["activeAssociations"] = listener.Server?.ActiveAssociations ?? 0,
                ["associationsAccepted"] = statistics?.AssociationsAccepted ?? 0,
                ["associationsRejected"] = statistics?.AssociationsRejected ?? 0,
                ["instancesStored"] = statistics?.InstancesStored ?? 0,
                ["storesRefused"] = statistics?.StoresFailed ?? 0,
            },
            ["model"] = model.IsLoaded
                ? new JsonObject
                {
                    ["name"] = model.Manifest.Name,
                    ["version"] = model.Manifest.Version,
                    ["task"] = model.Manifest.Task,
                    ["device"] = model.Model.Device.ToString().ToLowerInvariant(),
                }
                : null,
            ["queues"] = new JsonObject([.. pipeline.QueueDepths().Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))]),
            ["jobs"] = new JsonObject([.. Enum.GetValues<JobState>().Select(s => KeyValuePair.Create(Camel(s.ToString()), (JsonNode?)counts.Count(s)))]),
            ["outbox"] = new JsonObject
            {
                ["pending"] = counts.OutboxPending,
                ["deadLetters"] = counts.DeadLetters,
                ["destinations"] = new JsonArray([.. destinations.Value.Items.Select(d => (JsonNode?)d.Name)]),
            },
            ["recent"] = new JsonArray([.. recent.Select(Recent)]),
            ["agents"] = shared.FirstOrDefault() is { } leases ? await AgentsAsync(leases, cancellationToken).ConfigureAwait(false) : null,
        };
    }

    /// <summary>With several agents sharing the store: each one, its last heartbeat and the claims it holds (jobs and outbox are site-wide then).</summary>
    private static async Task<JsonArray> AgentsAsync(IJobLeases leases, CancellationToken cancellationToken) =>
        new([.. (await leases.AgentsAsync(cancellationToken).ConfigureAwait(false)).Select(a => (JsonNode?)new JsonObject
        {
            ["agentId"] = a.AgentId,
            ["self"] = string.Equals(a.AgentId, leases.AgentId, StringComparison.Ordinal),
            ["startedAt"] = a.StartedAt,
            ["lastHeartbeat"] = a.LastHeartbeat,
            ["jobClaims"] = a.JobClaims,
            ["outboxClaims"] = a.OutboxClaims,
            ["model"] = a.Model,
        })]);

    private static JsonNode Recent(JobRecord job) => new JsonObject
    {
        ["jobId"] = job.Ref.Id,
        ["sopInstanceUid"] = LogValues.Uid(job.SopInstanceUid),
        ["state"] = Camel(job.State.ToString()),
        ["reason"] = job.Reason,
        ["detail"] = job.Detail,
        ["score"] = job.Score?.Score,
        ["label"] = job.Score?.Label,
        ["lossySource"] = job.Score?.LossySource,
        ["receivedAt"] = job.ReceivedAt,
        ["updatedAt"] = job.UpdatedAt,
        ["timesReceived"] = job.TimesReceived,
    };

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
