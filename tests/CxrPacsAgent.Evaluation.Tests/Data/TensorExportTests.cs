using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Inference.Tests.TestSupport;

namespace CxrPacsAgent.Evaluation.Tests.Data;

/// <summary>A DICOM folder without labels.csv exports tensors keyed by SOP Instance UID, for labels joined by the toolkit.</summary>
public sealed class TensorExportTests
{
    [Fact]
    public void Dicom_folder_exports_tensors_with_sop_instance_uids()
    {
        var data = Repository.TempFolder("dicom");
        var source = Path.Combine(Repository.SharedData, "dicom-samples", "chest_radiographs", "CR-MONO1-10-chest_fodicom-via-dcmfx.dcm");
        File.Copy(source, Path.Combine(data, "a.dcm"));
        File.WriteAllText(Path.Combine(data, "notes.txt"), "not an image");
        var rows = LabelsCsv.ReadFolder(data);
        Assert.Single(rows);
        var output = Path.Combine(data, "out");
        Assert.Equal((1, 0), TensorExport.Run(rows, TestPackages.Manifest("model.onnx"), output));
        var index = File.ReadAllLines(Path.Combine(output, "index.csv"));
        var header = index[0].Split(',');
        var row = index[1].Split(',');
        var uid = row[Array.IndexOf(header, "sop_instance_uid")];
        Assert.Matches(@"^[0-9.]+$", uid);
        Assert.Equal("ok", row[Array.IndexOf(header, "status")]);
        Assert.Equal(10 + 118 + (3 * 8 * 8 * 4), new FileInfo(Path.Combine(output, "tensors", "000000.npy")).Length);
        Directory.Delete(data, recursive: true);
    }
}
