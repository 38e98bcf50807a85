using System.Globalization;
using System.Text.Json.Nodes;
using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Admin;

/// <summary>
/// Recent studies and one study's timeline (received → filtered → scored → SR/SC built → each delivery, with times
/// and errors), and the processing failures. UIDs, states, scores, reasons, the film's thumbnail and the accession
/// number's keyed hash; patient data (the accession in clear among it) only with <c>Admin:ShowPatientData</c>.
/// </summary>
public sealed class StudyViews(IStateQueries queries, IJobStore jobs, IAdminStore admin, PatientData patients, IOptions<AdminOptions> options)
{
    public const int MaxRecent = 500;

    public const string ThumbnailMediaType = "image/png";

    /// <summary>Hex digits of the accession key shown: 48 bits, enough to tell a site's studies apart at a glance.</summary>
    public const int ShortHashLength = 12;

    public async Task<JsonArray> RecentAsync(int max, CancellationToken cancellationToken)
    {
        var recent = await queries.RecentAsync(Math.Clamp(max, 1, MaxRecent), cancellationToken).ConfigureAwait(false);
        return new JsonArray([.. recent.Select(j => (JsonNode?)Summary(j))]);
    }

    /// <summary>Jobs whose processing failed for good and that nobody has cancelled, the most recent first.</summary>
    public async Task<JsonArray> FailedAsync(int max, CancellationToken cancellationToken)
    {
        var failed = await admin.FailedJobsAsync(Math.Clamp(max, 1, 5000), cancellationToken).ConfigureAwait(false);
        return new JsonArray([.. failed.Select(j => (JsonNode?)Summary(j))]);
    }

    /// <summary>The study's summary, timeline and deliveries; null when there is no such job.</summary>
    public async Task<JsonObject?> TimelineAsync(long jobId, CancellationToken cancellationToken)
    {
        if (await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false) is not { } job)
        {
            return null;
        }
        var deliveries = (await admin.DeliveriesAsync(jobId, cancellationToken).ConfigureAwait(false))
            .Where(d => d.JobVersion == job.Ref.Version).ToList();
        var study = Summary(job);
        study["timeline"] = new JsonArray([.. Timeline(job, deliveries)]);
        study["deliveries"] = new JsonArray([.. deliveries.Select(d => (JsonNode?)Delivery(d))]);
        if (options.Value.ShowPatientData)
        {
            study["patient"] = patients.Read(job.SpoolFile);
        }
        return study;
    }

    public static JsonObject Delivery(DeliveryRecord d) => new()
    {
        ["id"] = d.Item.Id,
        ["jobId"] = d.Item.JobId,
        ["destination"] = d.Item.Destination,
        ["document"] = DocumentKind(d.Item.Document.SopClassUid),
        ["sopInstanceUid"] = LogValues.Uid(d.Item.Document.SopInstanceUid),
        ["state"] = Camel(d.State.ToString()),
        ["attempts"] = d.Item.Attempts,
        ["queuedAt"] = d.Item.CreatedAt,
        ["settledAt"] = d.SettledAt,
        ["lastError"] = d.Item.LastError,
    };

    private JsonObject Summary(JobRecord job) => new()
    {
        ["id"] = job.Ref.Id,
        ["version"] = job.Ref.Version,
        ["accession"] = Accession(job),
        // Recorded with the score; the version in the address, so a new copy of the instance gets its own picture.
        ["thumbnail"] = job.Score is null ? null
            : $"{AdminAuthentication.ApiPath}/studies/{job.Ref.Id.ToString(CultureInfo.InvariantCulture)}/thumbnail?v={job.Ref.Version.ToString(CultureInfo.InvariantCulture)}",
        ["sopInstanceUid"] = LogValues.Uid(job.SopInstanceUid),
        ["state"] = Camel(job.State.ToString()),
        ["receivedAt"] = job.ReceivedAt,
        ["updatedAt"] = job.UpdatedAt,
        ["timesReceived"] = job.TimesReceived,
        ["view"] = View(job),
        ["score"] = job.Score?.Score,
        ["call"] = job.Score is null ? null : job.Score.Label ?? "no call",
        ["threshold"] = job.Score?.Threshold,
        ["outOfDistribution"] = job.Score?.OutOfDistribution,
        ["oodDistance"] = job.Score?.OodDistance,
        ["oodThreshold"] = job.Score?.OodThreshold,
        ["calibrated"] = job.Score?.Calibrated,
        ["lossySource"] = job.Score?.LossySource,
        ["model"] = job.Score is null ? null : $"{job.Score.Model} {job.Score.ModelVersion}",
        ["reason"] = job.Reason,
        ["detail"] = job.Detail,
        ["delivery"] = Delivery(job.State),
    };

    /// <summary>
    /// The accession number: in clear with <c>Admin:ShowPatientData</c> while the spool copy is kept, else the start of
    /// its keyed hash (recorded at intake); null when the instance had none.
    /// </summary>
    private JsonObject? Accession(JobRecord job)
    {
        if (options.Value.ShowPatientData && patients.AccessionNumber(job.SpoolFile) is { Length: > 0 } clear)
        {
            return new JsonObject { ["value"] = clear, ["clear"] = true };
        }
        return job.AccessionKey is { } key ? new JsonObject { ["value"] = key[..ShortHashLength], ["clear"] = false } : null;
    }

    /// <summary>The view filter's decision: frontal when scored, the reason when skipped, undecided before.</summary>
    private static string? View(JobRecord job) => job.State switch
    {
        JobState.Skipped => "skipped",
        _ when job.Score is not null => "frontal chest",
        _ => null,
    };

    private static string Delivery(JobState state) => state switch
    {
        JobState.Reported => "sending",
        JobState.Completed => "delivered",
        JobState.Undelivered => "dead letter",
        JobState.Skipped or JobState.Failed => "nothing to send",
        _ => "not yet",
    };

    private static IEnumerable<JsonNode> Timeline(JobRecord job, List<DeliveryRecord> deliveries)
    {
        yield return Event("received", job.ReceivedAt, "done",
            job.TimesReceived == 1 ? "" : $"received {job.TimesReceived.ToString(CultureInfo.InvariantCulture)} times");
        if (job.State == JobState.Skipped)
        {
            yield return Event("filtered", job.UpdatedAt, "skipped", $"{job.Reason}: {job.Detail}");
            yield break;
        }
        if (job.Score is { } score)
        {
            yield return Event("filtered", null, "accepted", "");
            var call = score.Label is null ? "no call" : $"call {score.Label}";
            var ood = score.OodDistance is { } distance
                ? FormattableString.Invariant($"; OOD distance {distance:0.000} (limit {score.OodThreshold:0.000}){(score.OutOfDistribution ? ": out of distribution" : "")}")
                : "";
            yield return Event("scored", job.ScoredAt, "done", FormattableString.Invariant(
                $"score {score.Score:0.000}{(score.Calibrated ? " (calibrated)" : "")}, threshold {score.Threshold:0.000}, {call}{ood}; {score.Model} {score.ModelVersion}"));
        }
        if (job.State == JobState.Failed)
        {
            yield return Event("failed", job.UpdatedAt, "failed", $"{job.Reason}: {job.Detail}");
            yield break;
        }
        if (job.ReportedAt is { } reported)
        {
            var documents = deliveries.Select(d => DocumentKind(d.Item.Document.SopClassUid)).Distinct().ToList();
            yield return Event("SR/SC built", reported, "done",
                documents.Count == 0 ? "nothing to send (no destination)" : string.Join(", ", documents) + " queued");
        }
        foreach (var d in deliveries)
        {
            var what = $"{DocumentKind(d.Item.Document.SopClassUid)} to {d.Item.Destination}, {d.Item.Attempts.ToString(CultureInfo.InvariantCulture)} attempt(s)";
            yield return Event("delivery", d.SettledAt, Camel(d.State.ToString()),
                d.Item.LastError is null ? what : $"{what}; {d.Item.LastError}");
        }
    }

    private static JsonObject Event(string stage, DateTimeOffset? at, string outcome, string detail) => new()
    {
        ["stage"] = stage,
        ["at"] = at,
        ["outcome"] = outcome,
        ["detail"] = detail,
    };

    /// <summary>SR or SC by SOP Class (PS3.4 B.5: the SR Storage classes are 1.2.840.10008.5.1.4.1.1.88.x).</summary>
    public static string DocumentKind(string sopClassUid) =>
        sopClassUid.StartsWith("1.2.840.10008.5.1.4.1.1.88.", StringComparison.Ordinal) ? "SR"
        : sopClassUid.StartsWith("1.2.840.10008.5.1.4.1.1.7", StringComparison.Ordinal) ? "SC"
        : sopClassUid;

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
