using System.Data.Common;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Storage;
using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.Pipeline;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Logging;

namespace CxrPacsAgent.Worker.Intake;

/// <summary>
/// Durable intake: the network layer has the data set fsync'd in a temporary file; this commits it into the spool
/// (atomic rename, folder fsync), records its job in the state store, and only then lets success be answered. A crash
/// at any point before the answer leaves at most an unrecorded spool file, which the clean-up removes; the sender,
/// having no success, sends again.
/// </summary>
public sealed partial class SpoolStoreHandler(Spool spool, IJobStore jobs, JobQueue queue, IntakeFilter filter, AccessionKeys accessions,
    AgentMetrics metrics, ILogger<SpoolStoreHandler> logger) : IStoreHandler
{
    public async ValueTask<StoreOutcome> OnInstanceReceivedAsync(ReceivedInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (filter.Refusal(instance) is { } refusal)
        {
            LogRefused(LogValues.Uid(instance.SopInstanceUid), refusal.ErrorComment);
            return refusal;
        }
        var hash = await Spool.HashAsync(instance.TempFilePath, instance.DatasetOffset, cancellationToken).ConfigureAwait(false);
        var name = Spool.FileName(instance.SopInstanceUid, hash);
        var accessionKey = accessions.KeyOf(instance.TempFilePath);
        await instance.CommitAsync(spool.PathOf(name), cancellationToken).ConfigureAwait(false);
        IntakeOutcome outcome;
        try
        {
            outcome = await jobs.RecordReceivedAsync(new SpooledInstance(instance.SopInstanceUid, instance.DatasetSopClassUid ?? instance.SopClassUid,
                instance.Request.PresentationContext.TransferSyntax, name, hash, instance.FileLength,
                instance.Request.Association.CallingAeTitle) { AccessionKey = accessionKey }, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            // Disk full or the database unavailable: not recorded, so not acknowledged. The sender retries later.
            LogNotRecorded(LogValues.Uid(instance.SopInstanceUid), e.Message);
            return new StoreOutcome(DimseStatus.OutOfResources, "the job could not be recorded: " + e.GetType().Name);
        }
        metrics.Received.WithLabels(outcome.Kind.ToString().ToLowerInvariant()).Inc();
        LogReceived(LogValues.Uid(instance.SopInstanceUid), outcome.Job.Id, outcome.Kind);
        if (outcome.Kind != IntakeKind.Duplicate)
        {
            queue.Enqueue(outcome.Job);
        }
        return StoreOutcome.Success;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Received {SopInstanceUid} as job {JobId} ({Outcome})")]
    private partial void LogReceived(string sopInstanceUid, long jobId, IntakeKind outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {SopInstanceUid}: {Reason}")]
    private partial void LogRefused(string sopInstanceUid, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record {SopInstanceUid}; answered A700: {Error}")]
    private partial void LogNotRecorded(string sopInstanceUid, string error);
}
