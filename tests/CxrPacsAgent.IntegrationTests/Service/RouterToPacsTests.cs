using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;
using CxrPacsAgent.IntegrationTests.Service.TestSupport;
using CxrPacsAgent.Worker.Tests.TestSupport;

namespace CxrPacsAgent.IntegrationTests.Service;

/// <summary>
/// The product's path with real processes on 127.0.0.1: DCMTK's storescu as the router → `cxr-agent serve` → Orthanc
/// as the PACS, which ends up holding the SR and SC of the frontal film, in its study, once.
/// </summary>
public sealed class RouterToPacsTests : IClassFixture<Orthanc>
{
    private readonly Orthanc orthanc;

    public RouterToPacsTests(Orthanc orthanc) => this.orthanc = orthanc;

    [Fact]
    public async Task A_study_forwarded_whole_is_accepted_completely_the_frontal_film_scored_as_classify_scores_it_and_the_rest_skipped_with_reasons()
    {
        using var temp = new TempFolder("router");
        var input = temp.Sub("in");
        var study = DicomUid.Generate();
        var frontal = TestInstances.FrontalDx(input, film: 7, studyUid: study, size: 512);
        var lateral = TestInstances.FrontalDx(input, film: 7, view: "LL", studyUid: study, size: 512, seed: 1);
        var kos = TestInstances.KeyObjectSelection(input, study);
        var ct = TestInstances.CtSlice(input);
        await using var agent = new AgentProcess(temp.Sub("agent"), new JsonObject
        {
            ["Destinations"] = new JsonArray(new JsonObject
            {
                ["Name"] = "orthanc", ["AeTitle"] = Orthanc.AeTitle, ["Host"] = Loopback.Host, ["Port"] = orthanc.DicomPort,
            }),
        });
        await agent.StartAsync();
        var before = await orthanc.SopInstanceUidsAsync();

        var (code, output) = await PeerProcess.RunAsync("storescu",
            ["-v", "-aet", "ROUTER", "-aec", AgentProcess.AeTitle, Loopback.Host, AgentProcess.Port(agent.DicomPort), frontal, lateral, kos, ct]);
        Assert.True(code == 0, output + agent.Log);
        Assert.Equal(4, CountOccurrences(output, "Received Store Response (Success)"));
        await agent.WaitIdleAsync(TimeSpan.FromSeconds(60));

        var (classifyCode, classified) = await PeerProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "cxr-agent.dll"), "classify", frontal, "--json"]);
        Assert.True(classifyCode == 0, classified);
        using var expected = JsonDocument.Parse(classified.Trim().Split('\n').Last());
        var result = agent.Result(TestInstances.SopInstanceUid(frontal));
        Assert.NotNull(result);
        Assert.Equal(expected.RootElement.GetProperty("score").GetSingle(), (float)result["score"]!, 5);
        Assert.Equal(study, (string?)result["studyInstanceUid"]);
        // An adult frontal film, the default adult package's population: it makes a call, as classify does, and is not
        // withheld as out of distribution (OOD distance 0.54 of its limit for this film's PNG, docs/model-card.md).
        Assert.Equal(expected.RootElement.GetProperty("out_of_distribution").GetBoolean(), (bool)result["outOfDistribution"]!["flagged"]!);
        Assert.False((bool)result["outOfDistribution"]!["flagged"]!, agent.Log);
        Assert.Equal(expected.RootElement.GetProperty("call").GetString(), (string?)result["label"]);
        Assert.NotNull((string?)result["label"]);
        foreach (var skipped in new[] { lateral, kos, ct })
        {
            Assert.Null(agent.Result(TestInstances.SopInstanceUid(skipped)));
        }
        var recent = (await agent.StatusAsync())["recent"]!.AsArray()
            .ToDictionary(r => (string)r!["sopInstanceUid"]!, r => ((string?)r!["state"], (string?)r["reason"]));
        Assert.Equal(("completed", null), recent[TestInstances.SopInstanceUid(frontal)]);
        Assert.Equal(("skipped", "NotFrontal"), recent[TestInstances.SopInstanceUid(lateral)]);
        Assert.Equal(("skipped", "NoPixelData"), recent[TestInstances.SopInstanceUid(kos)]);
        Assert.Equal(("skipped", "UnsupportedSopClass"), recent[TestInstances.SopInstanceUid(ct)]);

        // Orthanc holds the SR and SC the result lists, once, in the source's study, and nothing else from the agent.
        var documents = result["documents"]!.AsArray().ToDictionary(d => (string)d!["sopInstanceUid"]!, d => (string)d!["sopClassUid"]!);
        Assert.Equal(new[] { DicomUids.Comprehensive3DSRStorage, DicomUids.SecondaryCaptureImageStorage }.Order(), documents.Values.Order());
        var added = (await orthanc.SopInstanceUidsAsync()).Except(before).Order().ToList();
        Assert.Equal(documents.Keys.Order(), added);
        foreach (var uid in added)
        {
            var tags = await orthanc.Http.GetFromJsonAsync<JsonObject>(new Uri($"instances/{await orthanc.FindInstanceAsync(uid)}/simplified-tags", UriKind.Relative));
            Assert.Equal(study, (string?)tags!["StudyInstanceUID"]);
        }
    }

    private static int CountOccurrences(string text, string value) =>
        (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;
}
