using System.Buffers;
using CxrPacsAgent.Dicom.Network.Dimse;

namespace CxrPacsAgent.Dicom.Network.Storage;

/// <summary>
/// One C-STORE being received (PS3.4 B.2): its data set goes to a temporary file as the PDVs arrive, or is read and
/// dropped when the request was refused, and the response is decided when the last fragment is in.
/// </summary>
internal sealed class IncomingStore
{
    private readonly StoreRequestContext request;
    private readonly StorageOptions? storage;
    private readonly IStoreHandler? handler;
    private readonly long started = System.Diagnostics.Stopwatch.GetTimestamp();
    private IncomingInstanceFile? file;
    private StoreOutcome? refusal;
    private long received;
    private long synced;

    private IncomingStore(StoreRequestContext request, StorageOptions? storage, IStoreHandler? handler)
    {
        this.request = request;
        this.storage = storage;
        this.handler = handler;
    }

    public byte PresentationContextId => request.PresentationContext.Id;

    public StoreRequestContext Request => request;

    /// <summary>Bytes of data set received so far.</summary>
    public long Received { get; private set; }

    public static async ValueTask<IncomingStore> BeginAsync(StoreRequestContext request, StorageOptions? storage,
        IStoreHandler? handler, CancellationToken cancellationToken)
    {
        var store = new IncomingStore(request, storage, handler);
        store.refusal = await store.CheckAsync(cancellationToken).ConfigureAwait(false);
        if (store.refusal is null)
        {
            try
            {
                store.file = IncomingInstanceFile.Create(storage!.TempDirectory, request, storage.FlushToDisk);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                store.refusal = new StoreOutcome(DimseStatus.OutOfResources, "cannot create the file: " + e.GetType().Name);
            }
        }
        return store;
    }

    /// <summary>Refusals decided from the command alone (the data set is then discarded).</summary>
    private async ValueTask<StoreOutcome?> CheckAsync(CancellationToken cancellationToken)
    {
        if (storage is null || handler is null)
        {
            return new StoreOutcome(DimseStatus.SopClassNotSupported, "this SCP stores nothing");
        }
        if (request.SopClassUid != request.PresentationContext.AbstractSyntax)
        {
            return new StoreOutcome(DimseStatus.SopClassNotSupported, "Affected SOP Class UID is not the context's abstract syntax");
        }
        if (request.SopInstanceUid.Length == 0)
        {
            return new StoreOutcome(DimseStatus.CannotUnderstand, "no Affected SOP Instance UID");
        }
        if (storage.MinimumFreeDiskSpace > 0 && FreeSpace(storage.OutputDirectory) < storage.MinimumFreeDiskSpace)
        {
            return new StoreOutcome(DimseStatus.OutOfResources, "not enough free disk space");
        }
        try
        {
            return await handler.OnStoreRequestAsync(request, cancellationToken).ConfigureAwait(false) is { } status
                ? new StoreOutcome(status, "refused by the store handler")
                : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new StoreOutcome(DimseStatus.ProcessingFailure, "store handler failed: " + e.GetType().Name);
        }
    }

    public void Write(ReadOnlySequence<byte> data)
    {
        Received += data.Length;
        if (file is null)
        {
            return;
        }
        try
        {
            file.Append(data);
        }
        catch (IOException e)
        {
            // Disk full or failing: keep reading the data set so the association survives, answer A700H at the end.
            file.Delete();
            file = null;
            refusal = new StoreOutcome(DimseStatus.OutOfResources, "write failed: " + e.GetType().Name);
        }
    }

    /// <summary>The last fragment arrived: make the file durable, check it, hand it over, and say what to answer.</summary>
    public async ValueTask<StoreOutcome> CompleteAsync(CancellationToken cancellationToken)
    {
        received = System.Diagnostics.Stopwatch.GetTimestamp();
        if (refusal is { } refused || file is null)
        {
            return refusal ?? new StoreOutcome(DimseStatus.ProcessingFailure);
        }
        var incoming = file;
        file = null;
        try
        {
            incoming.Complete(storage!.FlushToDisk);
            synced = System.Diagnostics.Stopwatch.GetTimestamp();
        }
        catch (IOException e)
        {
            incoming.Delete();
            return new StoreOutcome(DimseStatus.OutOfResources, "flush failed: " + e.GetType().Name);
        }
        var outcome = await DecideAsync(incoming, cancellationToken).ConfigureAwait(false);
        if (File.Exists(incoming.TempPath))
        {
            incoming.Delete();
        }
        return outcome;
    }

    private async ValueTask<StoreOutcome> DecideAsync(IncomingInstanceFile incoming, CancellationToken cancellationToken)
    {
        DatasetCheck check;
        try
        {
            check = DatasetIdentity.Read(incoming.TempPath, incoming.DatasetOffset, request.TransferSyntax.IsDeflated);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Our own file could not be read back: a local fault, not the peer's, and not the association's end.
            return new StoreOutcome(DimseStatus.ProcessingFailure, "cannot read the received file: " + e.GetType().Name);
        }
        if (check.Error is { } error)
        {
            // The whole data set must parse before it counts as stored: the offset lets the sender's vendor find it.
            return new StoreOutcome(DimseStatus.CannotUnderstand, $"data set does not parse at offset {check.ErrorOffset}")
            {
                Detail = error.Problem,
                OffendingElement = error.Tag,
            };
        }
        var (sopClass, sopInstance) = (check.SopClassUid, check.SopInstanceUid);
        if (sopClass is null || sopInstance is null)
        {
            return new StoreOutcome(DimseStatus.CannotUnderstand, "data set has no SOP Class or SOP Instance UID");
        }
        if (sopInstance != request.SopInstanceUid)
        {
            return new StoreOutcome(DimseStatus.CannotUnderstand, "SOP Instance UID differs from the command's");
        }
        StoreOutcome? warning = null;
        if (sopClass != request.SopClassUid)
        {
            if (storage!.RejectSopClassMismatch)
            {
                return new StoreOutcome(DimseStatus.DataSetDoesNotMatchSopClass, "SOP Class UID differs from the command's");
            }
            warning = new StoreOutcome(DimseStatus.DataSetDoesNotMatchSopClassWarning, "SOP Class UID differs from the command's");
        }
        var instance = new ReceivedInstance(request, incoming.TempPath, incoming.Length, incoming.DatasetOffset, sopClass,
            sopInstance, storage!.FlushToDisk);
        StoreOutcome outcome;
        try
        {
            outcome = await handler!.OnInstanceReceivedAsync(instance, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return new StoreOutcome(DimseStatus.OutOfResources, "commit failed: " + e.GetType().Name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new StoreOutcome(DimseStatus.ProcessingFailure, "store handler failed: " + e.GetType().Name);
        }
        if (!outcome.Status.IsFailure && instance.CommittedPath is null)
        {
            // Success is only for something durable: a handler that did not commit has not stored anything.
            return new StoreOutcome(DimseStatus.ProcessingFailure, "store handler did not commit the instance");
        }
        return warning is { } w && outcome.Status.IsSuccess ? w : outcome;
    }

    /// <summary>Where the time went, for the log: receiving, fsync, checking and committing.</summary>
    public string Timing()
    {
        static double Ms(long from, long to) => System.Diagnostics.Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        return synced == 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Ms(started, now):0.0} ms")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{Ms(started, now):0.0} ms: receive {Ms(started, received):0.0}, sync {Ms(received, synced):0.0}, check and commit {Ms(synced, now):0.0}");
    }

    /// <summary>The association ended mid-data-set: nothing of it may remain.</summary>
    public void Abandon()
    {
        file?.Delete();
        file = null;
    }

    private static long FreeSpace(string directory)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return long.MaxValue;
        }
    }
}
