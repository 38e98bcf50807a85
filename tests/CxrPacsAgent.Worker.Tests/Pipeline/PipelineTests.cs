using System.Globalization;
using System.Text.Json;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Worker.Intake;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.State.Sqlite;
using CxrPacsAgent.Worker.Tests.Cli;
using CxrPacsAgent.Worker.Tests.TestSupport;

namespace CxrPacsAgent.Worker.Tests.Pipeline;

/// <summary>
/// The service in process, fed over real DICOM associations: what is scored, what is skipped and why, duplicates,
/// new versions, and resuming from recorded state.
/// </summary>
public sealed class PipelineTests : IDisposable
{
    private readonly TempFolder temp = new("pipeline");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_frontal_chest_DX_is_scored_as_classify_scores_it_and_the_result_written()
    {
        var file = TestInstances.FrontalDx(temp.Path, film: 3);
        var uid = TestInstances.SopInstanceUid(file);
        await using var agent = await AgentHarness.StartAsync();
        var sent = Assert.Single(await agent.SendAsync(file));
        Assert.Equal(DimseStatus.Success, sent.Status);
        var job = await agent.WaitForAsync(uid);
        Assert.Equal(JobState.Completed, job.State);

        var (code, stdout, stderr) = CliRunner.Run("classify", file, "--json");
        Assert.True(code == 0, stderr);
        using var classify = JsonDocument.Parse(stdout.Trim());
        var expected = classify.RootElement.GetProperty("score").GetSingle();
        var result = agent.Result(uid);
        Assert.Equal(expected, (float)result["score"]!, 5);
        // The call, not the side of the threshold: out of distribution the agent makes none, as classify does.
        var call = classify.RootElement.GetProperty("call");
        Assert.Equal(call.ValueKind == JsonValueKind.Null ? null : call.GetString(), (string?)result["label"]);
        Assert.Equal(classify.RootElement.GetProperty("calibrated").GetBoolean(), (bool)result["calibrated"]!);
        var ood = result["outOfDistribution"]!;
        Assert.Equal(classify.RootElement.GetProperty("out_of_distribution").GetBoolean(), (bool)ood["flagged"]!);
        Assert.Equal(classify.RootElement.GetProperty("ood_distance").GetDouble(), (double)ood["distance"]!, 4);
        Assert.Equal((double)ood["distance"]!, job.Score!.OodDistance!.Value, 6);
        Assert.Equal(uid, (string?)result["sopInstanceUid"]);
        Assert.Equal(DicomFile.Open(file).Dataset.GetString(DicomTags.StudyInstanceUID), (string?)result["studyInstanceUid"]);
        Assert.Equal(Inference.Packages.DefaultModel.Name, (string?)result["model"]!["name"]);
        Assert.False((bool)result["lossySource"]!);
        Assert.True((bool)result["notForDiagnosticUse"]!);
        Assert.Equal(expected, job.Score!.Score, 5);
        Assert.NotEmpty(job.Score.Embedding);
        // With no destination the SR and SC stay in the results folder, under the UIDs the JSON result lists.
        var documents = result["documents"]!.AsArray().ToDictionary(d => (string)d!["sopClassUid"]!, d => (string)d!["sopInstanceUid"]!);
        Assert.Equal(documents[DicomUids.Comprehensive3DSRStorage], TestInstances.SopInstanceUid(Path.Combine(agent.Paths.Results, uid + ".sr.dcm")));
        Assert.Equal(documents[DicomUids.SecondaryCaptureImageStorage], TestInstances.SopInstanceUid(Path.Combine(agent.Paths.Results, uid + ".sc.dcm")));
        // No patient data in what the agent writes about the instance.
        Assert.DoesNotContain(TestInstances.PatientName, result.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestInstances.PatientId, result.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_study_forwarded_whole_is_accepted_completely_and_what_is_not_a_frontal_chest_is_skipped_with_its_reason()
    {
        var study = DicomUid.Generate();
        var frontal = TestInstances.FrontalDx(temp.Path, film: 1, studyUid: study, size: 512);
        var lateral = TestInstances.FrontalDx(temp.Path, film: 1, view: "LL", studyUid: study, size: 512);
        var ct = TestInstances.CtSlice(temp.Path, study);
        var kos = TestInstances.KeyObjectSelection(temp.Path, study);
        await using var agent = await AgentHarness.StartAsync();
        var results = await agent.SendAsync(frontal, lateral, ct, kos);
        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.Equal(DimseStatus.Success, r.Status));

        var expected = new Dictionary<string, (JobState, string?)>
        {
            [frontal] = (JobState.Completed, null),
            [lateral] = (JobState.Skipped, "NotFrontal"),
            [ct] = (JobState.Skipped, "UnsupportedSopClass"),
            [kos] = (JobState.Skipped, "NoPixelData"),
        };
        foreach (var (file, (state, reason)) in expected)
        {
            var job = await agent.WaitForAsync(TestInstances.SopInstanceUid(file));
            Assert.Equal((state, reason), (job.State, job.Reason));
        }
        Assert.False(File.Exists(Path.Combine(agent.Paths.Results, TestInstances.SopInstanceUid(lateral) + ".json")));
        var metrics = await agent.GetAsync("/metrics");
        Assert.Contains("cxr_agent_instances_received_total{outcome=\"new\"} 4", metrics, StringComparison.Ordinal);
        Assert.Contains("cxr_agent_instances_skipped_total{reason=\"NotFrontal\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("cxr_agent_instances_processed_total 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_instance_again_is_recognised_and_a_changed_copy_is_processed_again()
    {
        var file = TestInstances.FrontalDx(temp.Path, film: 2, size: 512);
        var uid = TestInstances.SopInstanceUid(file);
        await using var agent = await AgentHarness.StartAsync();
        await agent.SendAsync(file);
        var first = await agent.WaitForAsync(uid);
        var firstScore = first.Score!.Score;
        Assert.Equal(DimseStatus.Success, Assert.Single(await agent.SendAsync(file)).Status);
        await Task.Delay(300);
        var duplicate = (await agent.Store.FindAsync(uid))!;
        Assert.Equal((first.Ref, JobState.Completed, 2), (duplicate.Ref, duplicate.State, duplicate.TimesReceived));
        Assert.Contains("cxr_agent_instances_processed_total 1", await agent.GetAsync("/metrics"), StringComparison.Ordinal);

        // Same SOP Instance UID, other pixels: a correction from the modality.
        var changed = DicomFile.Open(file);
        var dataset = changed.Dataset.Clone();
        dataset.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OW, new byte[512 * 512 * 2]);
        var changedPath = Path.Combine(temp.Sub("changed"), "changed.dcm");
        new DicomFile(changed.FileMetaInformation, dataset).Save(changedPath);
        Assert.Equal(DimseStatus.Success, Assert.Single(await agent.SendAsync(changedPath)).Status);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JobRecord? replaced;
        do
        {
            await Task.Delay(100);
            replaced = await agent.Store.FindAsync(uid);
        }
        while (replaced!.Ref.Version == 1 || !replaced.State.IsFinal() && DateTime.UtcNow < deadline);
        Assert.Equal(2, replaced.Ref.Version);
        Assert.Equal(first.Ref.Id, replaced.Ref.Id);
        // A blank image is no chest radiograph any more: the new copy's verdict replaces the old one's.
        Assert.NotEqual(JobState.Completed, replaced.State);
        Assert.NotEqual(firstScore, replaced.Score?.Score);
        Assert.Contains("cxr_agent_instances_received_total{outcome=\"replaced\"} 1", await agent.GetAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lossy_sources_are_scored_and_flagged_unless_configured_away_JPEG_2000_is_scored_and_what_cannot_be_decoded_is_skipped()
    {
        var source = TestInstances.FrontalDx(temp.Path, film: 4, size: 512);
        var lossy = Path.Combine(temp.Path, "lossy.dcm");
        var j2k = Path.Combine(temp.Path, "j2k.dcm");
        var part2 = Path.Combine(temp.Path, "part2.dcm");
        Run("dcmcjpeg", "+ee", source, lossy);
        Run("gdcmconv", "--j2k", source, j2k);
        var j2kUid = Renumber(j2k, null);
        Assert.Equal(DicomTransferSyntax.Jpeg2000Lossless, DicomFile.Open(j2k).TransferSyntax);
        // JPEG 2000 Part 2 (multi-component) is a registered syntax nothing here decodes: stored, then skipped.
        File.Copy(j2k, part2);
        var part2Uid = Renumber(part2, DicomTransferSyntax.Lookup(DicomUids.JPEG2000MCLossless));

        await using (var agent = await AgentHarness.StartAsync())
        {
            Assert.All(await agent.SendAsync(lossy, j2k, part2), r => Assert.Equal(DimseStatus.Success, r.Status));
            var scored = await agent.WaitForAsync(TestInstances.SopInstanceUid(lossy));
            Assert.Equal(JobState.Completed, scored.State);
            Assert.Equal(DicomTransferSyntax.JpegExtended12Bit.Uid, scored.TransferSyntaxUid);
            Assert.True((bool)agent.Result(scored.SopInstanceUid)["lossySource"]!);
            // JPEG 2000 is decoded through OpenJPEG (.ci/run installs it): scored as the uncompressed source is.
            var j2kJob = await agent.WaitForAsync(j2kUid);
            Assert.Equal((JobState.Completed, DicomTransferSyntax.Jpeg2000Lossless.Uid), (j2kJob.State, j2kJob.TransferSyntaxUid));
            Assert.False((bool)agent.Result(j2kUid)["lossySource"]!);
            var skipped = await agent.WaitForAsync(part2Uid);
            Assert.Equal((JobState.Skipped, "UndecodableTransferSyntax"), (skipped.State, skipped.Reason));
            Assert.Contains("no decoder", skipped.Detail, StringComparison.Ordinal);
        }
        await using (var strict = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["Pipeline:ProcessLossySources"] = "false" }))
        {
            await strict.SendAsync(lossy);
            var job = await strict.WaitForAsync(TestInstances.SopInstanceUid(lossy));
            Assert.Equal((JobState.Skipped, "LossySource"), (job.State, job.Reason));
        }
    }

    /// <summary>Gives a converted copy its own SOP Instance UID (and, when asked, another transfer syntax); returns the UID.</summary>
    private static string Renumber(string path, DicomTransferSyntax? syntax)
    {
        var file = DicomFile.Open(path);
        var uid = DicomUid.Generate();
        file.Dataset.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, uid);
        file.FileMetaInformation.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, uid);
        file.Save(path, syntax);
        return uid;
    }

    [Fact]
    public async Task A_restart_resumes_from_the_recorded_state_without_scoring_again()
    {
        var root = temp.Sub("root");
        var file = TestInstances.FrontalDx(temp.Path, film: 5, size: 512);
        var uid = TestInstances.SopInstanceUid(file);
        // What a crash right after the infer stage leaves: the instance in the spool, its score recorded.
        var paths = new Worker.Hosting.AgentPaths(root);
        paths.CreateFolders();
        var hash = await Spool.HashAsync(file, DicomFile.Open(file).DatasetOffset, default);
        var name = Spool.FileName(uid, hash);
        File.Copy(file, Path.Combine(paths.Spool, name));
        var store = new SqliteStateStore(paths.Database);
        await store.InitializeAsync();
        var job = (await store.RecordReceivedAsync(new SpooledInstance(uid, DicomUids.DigitalXRayImageStorageForPresentation,
            DicomTransferSyntax.ExplicitVRLittleEndian.Uid, name, hash, new FileInfo(file).Length, "ROUTER"))).Job;
        Assert.True(await store.RecordScoredAsync(job, new ScoreRecord(0.4242f, "NORMAL", 0.5, "cxr-pneumonia-resnet18", "1.1.0", new float[512], false)));
        var stranded = (await store.RecordReceivedAsync(new SpooledInstance("1.2.3.4.5.6.7", DicomUids.DigitalXRayImageStorageForPresentation,
            DicomTransferSyntax.ExplicitVRLittleEndian.Uid, "gone.dcm", new string('c', 64), 1, "ROUTER"))).Job;

        await using var agent = await AgentHarness.StartAsync(root: root);
        var resumed = await agent.WaitForAsync(uid);
        Assert.Equal(JobState.Completed, resumed.State);
        Assert.Equal(0.4242f, (float)agent.Result(uid)["score"]!);
        // A job whose spool file is gone cannot be processed: it fails with the reason instead of blocking the queue.
        var lost = await agent.WaitForAsync("1.2.3.4.5.6.7");
        Assert.Equal((JobState.Failed, "SpoolFileMissing"), (lost.State, lost.Reason));
        Assert.Equal(stranded, lost.Ref);
    }

    [Fact]
    public async Task Refusing_unwanted_instances_answers_them_with_a_failure_and_the_reason()
    {
        var frontal = TestInstances.FrontalDx(temp.Path, film: 6, size: 512);
        var lateral = TestInstances.FrontalDx(temp.Path, film: 6, view: "LATERAL", size: 512);
        var ct = TestInstances.CtSlice(temp.Path);
        await using var agent = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["Dicom:RefuseUnwanted"] = "true" });
        var results = (await agent.SendAsync(frontal, lateral, ct)).ToDictionary(r => r.Path);
        Assert.Equal(DimseStatus.Success, results[frontal].Status);
        Assert.Equal(DimseStatus.CannotUnderstand, results[lateral].Status);
        Assert.Contains("NotFrontal", results[lateral].Error, StringComparison.Ordinal);
        Assert.Null(results[ct].Status);
        Assert.Contains("no presentation context", results[ct].Error, StringComparison.Ordinal);
        Assert.Null(await agent.Store.FindAsync(TestInstances.SopInstanceUid(lateral)));
        Assert.Equal(JobState.Completed, (await agent.WaitForAsync(TestInstances.SopInstanceUid(frontal))).State);
    }

    private static void Run(string program, params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Start(program, args);
        Assert.True(code == 0, $"{program} {string.Join(' ', args)}: {stdout}{stderr}");
    }
}
