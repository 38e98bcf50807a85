using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.IO;

/// <summary>
/// Real files cut at every 997th byte: each prefix either reads, as the elements before the cut, or fails with
/// <see cref="DicomFormatException"/>, never with another exception.
/// </summary>
public class TruncationTests
{
    private const int Step = 997;

    private static readonly string PydicomFiles = RepositoryPaths.PydicomTestFiles;

    // One of each encoding: explicit and implicit LE, big endian, deflated, encapsulated, nested sequences, no meta.
    public static TheoryData<string> Files => new(RepositoryPaths.SampleFiles().Concat(new[]
    {
        "MR_small_bigendian.dcm", "image_dfl.dcm", "nested_priv_SQ.dcm", "ExplVR_BigEndNoMeta.dcm", "rtplan.dcm",
        "SC_rgb_rle_2frame.dcm", "UN_sequence.dcm", "waveform_ecg.dcm",
    }.Select(f => Path.Combine(PydicomFiles, f))).Select(Path.GetFullPath));

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_prefix_reads_or_fails_typed(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var whole = DicomFile.Read(bytes);
        var failures = 0;
        for (var cut = 0; cut < bytes.Length; cut += Step)
        {
            try
            {
                var prefix = DicomFile.Read(bytes.AsSpan(0, cut));
                AssertPrefixOf(whole.Dataset, prefix.Dataset, cut);
            }
            catch (DicomFormatException e)
            {
                Assert.InRange(e.Offset, -1, cut);
                failures++;
            }
        }
        Assert.True(failures > 0 || bytes.Length < Step, "no cut was noticed");
    }

    [Fact]
    public void Truncated_files_on_disk_fail_typed_when_deferred_values_are_loaded()
    {
        // Pixel data of a large file stays on disk; cutting the file after opening must not surface as IOException.
        var source = RepositoryPaths.SampleFiles().First(f => f.EndsWith("NIH-CXR14_Covid0000_nhsx.dcm", StringComparison.Ordinal));
        using var temp = new TempDirectory();
        var copy = temp.File("cut.dcm");
        File.Copy(source, copy);
        var file = DicomFile.Open(copy);
        var pixels = (DicomElement)file.Dataset[DicomTags.PixelData]!;
        Assert.True(pixels.Buffer.IsDeferred);
        using (var stream = new FileStream(copy, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }
        var e = Assert.Throws<DicomFormatException>(() => pixels.Buffer.Memory);
        Assert.Contains("truncated", e.Problem, StringComparison.Ordinal);
    }

    // A successful read of a cut file can only have stopped at an element boundary: what it holds is the start of
    // the whole file's top level, each element complete.
    private static void AssertPrefixOf(DicomDataset whole, DicomDataset prefix, int cut)
    {
        var all = whole.ToList();
        var part = prefix.ToList();
        Assert.True(part.Count <= all.Count, $"cut at {cut}: more elements than the whole file");
        for (var i = 0; i < part.Count; i++)
        {
            Assert.Equal(all[i].Tag, part[i].Tag);
            if (all[i] is DicomElement a && part[i] is DicomElement b)
            {
                Assert.True(a.Buffer.Memory.Span.SequenceEqual(b.Buffer.Memory.Span), $"cut at {cut}: {a.Tag} differs");
            }
        }
    }
}
