using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.Pipeline;
using CxrPacsAgent.Worker.Retrieval;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Tests.Retrieval;

/// <summary>
/// A library whose database cannot be opened is a passing problem for the retrieve stage (an <see cref="IOException"/>,
/// so the stage runner tries the job again after Pipeline:RetryDelay), never a job failed for good or a result that
/// silently lacks its similar cases.
/// </summary>
public sealed class LibraryStoreFailureTests : IDisposable
{
    private readonly TempFolder temp = new("library-failure");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_database_that_cannot_be_opened_is_retried_not_recorded_as_a_result_without_similar_cases()
    {
        var file = TestInstances.FrontalDx(temp.Path, film: 2);
        var paths = new AgentPaths(Path.Combine(temp.Path, "agent"));
        // A folder where the database file should be: SQLite cannot open it, as with a lost mount or a broken disk.
        Directory.CreateDirectory(paths.Database);
        using var model = new ModelHost(Options.Create(new InferenceOptions()), NullLogger<ModelHost>.Instance);
        var metrics = new AgentMetrics();
        await using var library = new SimilarStudyLibrary(paths, model, Options.Create(new RetrievalOptions()),
            Options.Create(new StateOptions()), metrics, NullLogger<SimilarStudyLibrary>.Instance);
        var job = new JobRecord(new JobRef(1, 1), TestInstances.SopInstanceUid(file), DicomUids.DigitalXRayImageStorageForPresentation,
            DicomTransferSyntax.ExplicitVRLittleEndian.Uid, file, JobState.Scored, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1);
        var item = new WorkItem(job, file)
        {
            Source = DicomFile.Open(file),
            Image = new GrayImage(64, 64),
            Score = new ScoreRecord(0.5f, "NORMAL", 0.5, "cxr-test", "1.0.0", new float[128], false),
        };

        var error = await Assert.ThrowsAsync<IOException>(() => library.SearchAndAddAsync(item, CancellationToken.None).AsTask());
        Assert.Contains("similar-study library", error.Message, StringComparison.Ordinal);
        Assert.Contains(paths.Database, error.Message, StringComparison.Ordinal);
    }
}
