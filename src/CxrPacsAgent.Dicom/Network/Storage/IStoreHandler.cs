using CxrPacsAgent.Dicom.Network.Dimse;

namespace CxrPacsAgent.Dicom.Network.Storage;

/// <summary>
/// Decides what happens to instances a store SCP receives. The network layer streams each data set into a Part 10
/// temporary file and fsyncs it; the handler then commits it (atomic rename) and records whatever it must before the
/// status it returns is answered: success is only ever sent for something durable.
/// </summary>
public interface IStoreHandler
{
    /// <summary>
    /// Called when the C-STORE-RQ arrives, before its data set. Null receives it; a failure status refuses it (the
    /// data set is read and discarded, then the status is answered).
    /// </summary>
    ValueTask<DimseStatus?> OnStoreRequestAsync(StoreRequestContext request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DimseStatus?>(null);

    /// <summary>
    /// Called with the whole data set on disk. Commit it with <see cref="ReceivedInstance.CommitAsync"/> and return
    /// success or a warning, or return a failure and leave it: the temporary file is then deleted. A non-failure
    /// status without a commit is answered as a processing failure.
    /// </summary>
    ValueTask<StoreOutcome> OnInstanceReceivedAsync(ReceivedInstance instance, CancellationToken cancellationToken);
}
