namespace CxrPacsAgent.Worker.Pipeline.Stages;

/// <summary>
/// Turns a scored item into result files. The JSON result writer is always there; the SR and SC writer (Worker/Results,
/// over Dicom/Reports) is added beside it. A writer puts DICOM documents in <see cref="ResultFolders.Dicom"/> (the outbox
/// when destinations are configured) and other files in <see cref="ResultFolders.Results"/>, each written durably.
/// Writing the same item again must give the same files (same names, same SOP Instance UIDs).
/// </summary>
public interface IResultWriter
{
    ValueTask<IReadOnlyList<ResultDocument>> WriteAsync(WorkItem item, ResultFolders folders, CancellationToken cancellationToken);
}
