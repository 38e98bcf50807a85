using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Network.Client;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Worker.Results;

namespace CxrPacsAgent.IntegrationTests.Results;

/// <summary>
/// Orthanc, a real PACS, accepts every SR, Chest CAD SR and SC we write over C-STORE, odd sources included, keeps the
/// names as sent, and a retry (the same source and model again) replaces instead of duplicating.
/// </summary>
public sealed class OrthancResultsTests(Orthanc orthanc) : IClassFixture<Orthanc>
{
    private static readonly string RepositoryRoot = typeof(OrthancResultsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    private DicomClientOptions Options => new()
    {
        CallingAeTitle = "CXRAGENT",
        CalledAeTitle = Orthanc.AeTitle,
        AcseTimeout = TimeSpan.FromSeconds(10),
        DimseTimeout = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task Orthanc_stores_every_result_of_every_odd_source_and_a_retry_adds_nothing()
    {
        using var temp = new TempFolder("results-to-orthanc");
        var sources = temp.Sub("sources");
        var script = Path.Combine(RepositoryRoot, "tests", "CxrPacsAgent.Worker.Tests", "Results", "make_sources.py");
        var adult = Path.Combine(RepositoryRoot, "..", "shared", "data", "adult-cxr-samples");
        var (code, output) = await PeerProcess.RunAsync(Tools.Python, [script, Path.Combine(adult, "adult-cxr-03.png"), sources], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, output);
        var model = ModelIdentity.FromManifest(ModelPackage.Load(DefaultModel.Folder).Manifest);
        var options = new ResultOptions { ChestCadReport = true };
        var written = new List<string>();
        var names = new Dictionary<string, byte[]>();
        foreach (var file in Directory.GetFiles(sources, "*.dcm").Where(f => !f.EndsWith("plain8.dcm", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var objects = ResultDocuments.Build(Result(file, model, adult), options);
            written.AddRange(objects.Save(temp.Path, Path.GetFileNameWithoutExtension(file)));
            objects.Report.TryGetElement(DicomTags.PatientName, out var name);
            names[objects.Uids.Report] = name.Buffer.Memory.ToArray();
        }

        var before = await CountInstancesAsync();
        var results = await StoreScu.SendAsync(Loopback.Host, orthanc.DicomPort, written, Options);
        Assert.All(results, r => Assert.True(r.Succeeded, r + "\n" + orthanc.Log));
        Assert.Equal(before + written.Count, await CountInstancesAsync());
        foreach (var result in results)
        {
            var id = await orthanc.FindInstanceAsync(result.SopInstanceUid!);
            Assert.True(id is not null, $"{result.Path} is not in Orthanc");
            if (names.TryGetValue(result.SopInstanceUid!, out var sent))
            {
                var stored = DicomFile.Read(await orthanc.GetFileAsync(id)).Dataset;
                Assert.True(stored.TryGetElement(DicomTags.PatientName, out var name));
                Assert.Equal(sent, name.Buffer.Memory.ToArray());
            }
        }

        // A retry builds the same instances again (other time, same UIDs): Orthanc ends with no more instances.
        var again = ResultDocuments.Build(Result(Path.Combine(sources, "latin1.dcm"), model, adult) with { CompletedAt = DateTimeOffset.Now }, options)
            .Save(temp.Sub("retry"), "latin1");
        var retried = await StoreScu.SendAsync(Loopback.Host, orthanc.DicomPort, again, Options);
        Assert.All(retried, r => Assert.True(r.Succeeded, r.ToString()));
        Assert.Equal(before + written.Count, await CountInstancesAsync());
    }

    private static CxrResult Result(string path, ModelIdentity model, string adult)
    {
        var file = DicomFile.Open(path);
        var stages = new CxrPreprocessor().Run(Radiograph.FromDicom(file).Image);
        return new CxrResult
        {
            Source = file.Dataset,
            Model = model,
            Score = 0.42,
            Threshold = 0.5,
            Call = null,
            DisplayImage = stages.Standardized,
            LungMap = stages.LungMap.Crop(stages.Geometry.Content),
            OutOfDistribution = new OutOfDistribution(true, 3.1, 2.5),
            QualityFlags = QualityFlag.FromSource(file.Dataset),
            SimilarCases =
            [
                new SimilarCase("2.25.901", "2.25.902", "2.25.903", DicomUids.DigitalXRayImageStorageForPresentation, 0.91, "PNEUMONIA",
                    "test labels", ImageFile.LoadGray(Path.Combine(adult, "adult-cxr-01.png"))),
            ],
            Knn = new KnnOpinion(1, 1),
            CompletedAt = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
        };
    }

    private async Task<int> CountInstancesAsync()
    {
        var statistics = await orthanc.Http.GetFromJsonAsync<JsonObject>(new Uri("statistics", UriKind.Relative));
        return statistics!["CountInstances"]!.GetValue<int>();
    }
}
