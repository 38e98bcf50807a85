using CxrPacsAgent.Worker.State;
using Prometheus;

namespace CxrPacsAgent.Worker.Observability;

/// <summary>
/// The agent's Prometheus metrics, in a registry of its own (served at /metrics). docs/operations.md lists each one
/// and what it means; the names are part of the product's interface.
/// </summary>
public sealed class AgentMetrics
{
    private static readonly double[] SecondsBuckets = Histogram.ExponentialBuckets(0.005, 2, 14);

    public AgentMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var f = Metrics.WithCustomRegistry(Registry);
        Received = f.CreateCounter("cxr_agent_instances_received_total",
            "Instances stored durably and answered success, by outcome: new, duplicate (same UID and bytes), replaced (same UID, other bytes).",
            "outcome");
        Refused = f.CreateCounter("cxr_agent_instances_refused_total", "C-STORE requests answered with a failure status (A700 when the disk is full, …).");
        Associations = f.CreateCounter("cxr_agent_associations_total", "Associations by how they were answered or ended: accepted, rejected, aborted.", "result");
        ActiveAssociations = f.CreateGauge("cxr_agent_associations_active", "Associations open now.");
        Processed = f.CreateCounter("cxr_agent_instances_processed_total", "Instances scored and their results written.");
        Skipped = f.CreateCounter("cxr_agent_instances_skipped_total", "Instances not processed, by reason (NotFrontal, NotChest, UndecodableTransferSyntax, …).", "reason");
        Failed = f.CreateCounter("cxr_agent_instances_failed_total", "Instances whose processing failed for good, by stage and reason.", "stage", "reason");
        StageRetries = f.CreateCounter("cxr_agent_stage_retries_total", "Stage runs put off after a passing failure (disk full, …), by stage.", "stage");
        StageSeconds = f.CreateHistogram("cxr_agent_stage_duration_seconds", "Time spent in each pipeline stage.",
            new HistogramConfiguration { LabelNames = ["stage"], Buckets = SecondsBuckets });
        ProcessingSeconds = f.CreateHistogram("cxr_agent_processing_seconds", "From an instance's receipt to its results being written.",
            new HistogramConfiguration { Buckets = SecondsBuckets });
        QueueDepth = f.CreateGauge("cxr_agent_queue_depth", "Instances waiting in front of each stage ('spool' is those not yet in the pipeline).", "queue");
        Jobs = f.CreateGauge("cxr_agent_jobs", "Jobs in the state store by state.", "state");
        OutboxPending = f.CreateGauge("cxr_agent_outbox_pending", "Result documents waiting to be delivered (one per destination).");
        Delivered = f.CreateCounter("cxr_agent_send_delivered_total", "Result documents a destination accepted, by destination.", "destination");
        SendRetries = f.CreateCounter("cxr_agent_send_retries_total", "Failed sends that will be retried, by destination and reason.", "destination", "reason");
        DeadLetters = f.CreateCounter("cxr_agent_dead_letters_total", "Result documents given up on, by destination and reason.", "destination", "reason");
        SimilarStudySearches = f.CreateCounter("cxr_agent_similar_study_searches_total",
            "Searches of the similar-study library, by outcome: found (neighbours), empty (none yet), or the library's error.", "outcome");
        DeliverySeconds = f.CreateHistogram("cxr_agent_delivery_seconds", "From a result document being queued to a destination accepting it.",
            new HistogramConfiguration { LabelNames = ["destination"], Buckets = SecondsBuckets });
        FencedWrites = f.CreateCounter("cxr_agent_fenced_writes_total",
            "Records refused because this agent's claim was taken over or its lease ran out (several agents), by kind: job, outbox.", "kind");
        HousekeepingLeader = f.CreateGauge("cxr_agent_housekeeping_leader",
            "1 while this agent runs the site-wide housekeeping (several agents: exactly one shows 1), else 0.");
        AdminSignIns = f.CreateCounter("cxr_agent_admin_sign_ins_total",
            "Sign-ins to the admin page, by outcome: signed-in, refused (wrong name or password), locked-out (refused unchecked), unavailable (refused: the state store cannot be reached).", "outcome");
    }

    public CollectorRegistry Registry { get; }

    public Counter Received { get; }

    public Counter Refused { get; }

    public Counter Associations { get; }

    public Gauge ActiveAssociations { get; }

    public Counter Processed { get; }

    public Counter Skipped { get; }

    public Counter Failed { get; }

    public Counter StageRetries { get; }

    public Histogram StageSeconds { get; }

    public Histogram ProcessingSeconds { get; }

    public Gauge QueueDepth { get; }

    public Gauge Jobs { get; }

    public Gauge OutboxPending { get; }

    public Counter Delivered { get; }

    public Counter SendRetries { get; }

    public Counter DeadLetters { get; }

    public Counter SimilarStudySearches { get; }

    public Histogram DeliverySeconds { get; }

    public Counter FencedWrites { get; }

    public Gauge HousekeepingLeader { get; }

    public Counter AdminSignIns { get; }

    /// <summary>Sets the gauges that mirror the state store.</summary>
    public void Observe(StateCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        foreach (var state in Enum.GetValues<JobState>())
        {
            Jobs.WithLabels(state.ToString()).Set(counts.Count(state));
        }
        OutboxPending.Set(counts.OutboxPending);
    }
}
