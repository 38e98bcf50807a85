using System.Text.Json;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Runtime;

namespace CxrPacsAgent.Evaluation.Tests.TestSupport;

/// <summary>What the training-toolkit parity tests share: a small labelled set, and our scores against PyTorch's.</summary>
internal static class TorchParity
{
    /// <summary>Three NORMAL and three PNEUMONIA images of <paramref name="dataSet"/>; four train, two val, by patient.</summary>
    public static IReadOnlyList<LabeledImage> SixImages(string dataSet, string work)
    {
        var all = LabelsCsv.Read(Path.Combine(dataSet, "labels.csv"));
        var picked = all.Where(r => r.Label == "NORMAL").Take(3).Concat(all.Where(r => r.Label == "PNEUMONIA").Take(3)).ToArray();
        var csv = Path.Combine(work, "labels.csv");
        File.WriteAllLines(csv, ["path,label,patient_id,split",
            .. picked.Select((r, i) => $"{r.Path},{r.Label},{r.PatientId},{(i % 3 == 2 ? "val" : "train")}")]);
        return LabelsCsv.Read(csv);
    }

    /// <summary>ONNX Runtime's score of each row, through the C# preprocessing, within 1e-4 of PyTorch's in <paramref name="reference"/>.</summary>
    public static void AssertScoresMatch(CxrModel model, IReadOnlyList<LabeledImage> rows, string reference)
    {
        var builder = new ModelInputBuilder(model.Manifest);
        var input = rows.SelectMany(r => builder.Build(RadiographLoader.Load(r.Path)).Data).ToArray();
        var ours = model.Run(input, rows.Count).Scores;
        using var json = JsonDocument.Parse(File.ReadAllText(reference));
        var torch = json.RootElement.GetProperty("scores").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(rows.Count, torch.Length);
        for (var i = 0; i < torch.Length; i++)
        {
            Assert.True(Math.Abs(ours[i] - torch[i]) <= 1e-4, $"row {i}: ONNX Runtime {ours[i]} vs PyTorch {torch[i]}");
        }
    }
}
