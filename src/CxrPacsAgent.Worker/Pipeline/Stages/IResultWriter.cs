namespace CxrPacsAgent.Worker.Pipeline.Stages;

/// <summary>
/// Turns a scored item into result documents. The SR and SC writer (Worker/Results over Dicom/Reports) registers as
/// one; the JSON result, which lists what the writers wrote, follows them. A writer puts DICOM documents in
/// <see cref="ResultFolders.Dicom"/> (the outbox when destinations are configured) and other files in
/// <see cref="ResultFolders.Results"/>, each written durably. Writing the same item again must give the same files
/// (same names, same SOP Instance UIDs), so a run after a restart replaces rather than doubles.
/// </summary>
public interface IResultWriter
{
    ValueTask<IReadOnlyList<ResultDocument>> WriteAsync(WorkItem item, ResultFolders folders, CancellationToken cancellationToken);
}
