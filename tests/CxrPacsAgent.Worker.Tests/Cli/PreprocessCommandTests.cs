namespace CxrPacsAgent.Worker.Tests.Cli;

public sealed class PreprocessCommandTests
{
    [Fact]
    public void Writes_a_PNG_of_every_stage_for_a_frontal_chest_CR()
    {
        var input = Path.Combine(CliRunner.SharedData, "dicom-samples", "chest_radiographs", "CR-MONO1-10-chest_fodicom-via-dcmfx.dcm");
        var output = Path.Combine(Path.GetTempPath(), $"cxr-preprocess-{Guid.NewGuid():N}");
        try
        {
            var (code, stdout, stderr) = CliRunner.Run("preprocess", input, "--out", output);
            Assert.True(code == 0, stderr + stdout);
            Assert.Contains("tensor 3x224x224", stdout, StringComparison.Ordinal);
            Assert.Contains($"preprocessing of {Inference.Packages.DefaultModel.Name}", stdout, StringComparison.Ordinal);
            Assert.Contains("lungs: U-Net lungs.onnx", stdout, StringComparison.Ordinal);
            string[] stages = ["1-original", "2-crop", "3-brightness", "4-clahe", "5-model-input", "6-lung-map", "7-overlay"];
            foreach (var stage in stages)
            {
                var png = File.ReadAllBytes(Path.Combine(output, stage + ".png"));
                Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            }
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Fact]
    public void A_lateral_spine_film_is_skipped_with_its_reason_and_exit_code_3()
    {
        var input = Path.Combine(CliRunner.SharedData, "dicom-samples", "other_cr", "pydicom_dicomdirtests_CR1_6154_16x16.dcm");
        var output = Path.Combine(Path.GetTempPath(), $"cxr-preprocess-{Guid.NewGuid():N}");
        var (code, stdout, _) = CliRunner.Run("preprocess", input, "--out", output);
        Assert.Equal(3, code);
        Assert.Contains("skipped (NotChest)", stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }
}
