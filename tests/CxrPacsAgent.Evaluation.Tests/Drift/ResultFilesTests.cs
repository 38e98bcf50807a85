using CxrPacsAgent.Evaluation.Drift;
using CxrPacsAgent.Inference.Tests.TestSupport;

namespace CxrPacsAgent.Evaluation.Tests.Drift;

/// <summary>Recent results from files: classify's JSON lines, one indented JSON result per file, an evaluation's scores.csv.</summary>
public sealed class ResultFilesTests
{
    [Fact]
    public void Json_lines_and_single_results_in_nested_folders()
    {
        var folder = Repository.TempFolder("results");
        File.WriteAllLines(Path.Combine(folder, "classify.jsonl"),
        [
            """{"file":"a.dcm","score":0.9,"out_of_distribution":false,"skipped":null}""",
            """{"file":"b.dcm","score":null,"skipped":"NotFrontal: View Position is LL"}""",
            """{"file":"c.dcm","score":0.2,"out_of_distribution":true,"skipped":null}""",
            """{"note":"not a result"}""",
        ]);
        Directory.CreateDirectory(Path.Combine(folder, "2026", "12"));
        File.WriteAllText(Path.Combine(folder, "2026", "12", "r1.json"), "{\n  \"probability\": 0.4,\n  \"model\": {\n    \"name\": \"x\"\n  }\n}\n");
        File.WriteAllText(Path.Combine(folder, "ignored.txt"), "{}");
        var source = new ResultFiles(folder);
        var results = source.Read();
        Directory.Delete(folder, recursive: true);
        Assert.Equal(4, results.Count);
        Assert.Equal(1, source.Unrecognised);
        Assert.Equal(1, results.Count(r => r.Skipped));
        Assert.Equal(1, results.Count(r => r.OutOfDistribution));
        Assert.Equal([0.2, 0.4, 0.9], results.Where(r => !r.Skipped).Select(r => r.Probability!.Value).Order());
    }

    [Fact]
    public void An_evaluation_folder_reads_scores_and_skipped()
    {
        var folder = Repository.TempFolder("eval-results");
        File.WriteAllLines(Path.Combine(folder, "scores.csv"),
            ["path,label,patient_id,score,probability,call,ood_distance,out_of_distribution", "\"a, b.png\",NORMAL,p1,0.1,0.15,NORMAL,3.2,false", "c.png,PNEUMONIA,p2,0.99,0.9,,40.5,true"]);
        File.WriteAllLines(Path.Combine(folder, "skipped.csv"), ["path,label,reason,message", "d.dcm,NORMAL,NotFrontal,View Position is LL"]);
        var results = new ResultFiles(folder).Read();
        Directory.Delete(folder, recursive: true);
        Assert.Equal(3, results.Count);
        Assert.Equal(0.15, results[0].Probability);
        Assert.True(results[1].OutOfDistribution);
        Assert.True(results[2].Skipped);
    }

    [Fact]
    public void A_path_that_is_not_results_is_refused() =>
        Assert.Throws<FileNotFoundException>(() => new ResultFiles(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString())).Read());
}
