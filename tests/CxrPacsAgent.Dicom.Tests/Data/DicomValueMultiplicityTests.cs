using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Tests.Data;

public sealed class DicomValueMultiplicityTests
{
    [Theory]
    [InlineData("1", 1, true)]
    [InlineData("1", 2, false)]
    [InlineData("1-3", 3, true)]
    [InlineData("1-3", 4, false)]
    [InlineData("1-n", 1000, true)]
    [InlineData("2-2n", 4, true)]
    [InlineData("2-2n", 3, false)]
    [InlineData("3-3n", 6, true)]
    [InlineData("3-3n", 7, false)]
    [InlineData("6", 0, true)]
    public void Allows_counts_as_PS3_5_6_4_defines(string vm, int count, bool allowed) =>
        Assert.Equal(allowed, DicomValueMultiplicity.Parse(vm).Allows(count));

    [Fact]
    public void Every_multiplicity_in_the_dictionary_parses_and_prints_back()
    {
        foreach (var entry in DicomDictionary.Entries)
        {
            var vm = entry.Multiplicity;
            Assert.True(vm.Minimum >= 0 && vm.Maximum >= vm.Minimum, $"{entry.Tag} {entry.ValueMultiplicity}");
            if (entry.ValueMultiplicity.Length > 0 && !entry.ValueMultiplicity.Contains(' ', StringComparison.Ordinal))
            {
                Assert.Equal(entry.ValueMultiplicity, vm.ToString());
            }
        }
        Assert.True(DicomDictionary.TryGetEntry("ImageType", out var imageType));
        Assert.Equal(new DicomValueMultiplicity(2, DicomValueMultiplicity.Unbounded, 1), imageType.Multiplicity);
    }

    [Theory]
    [InlineData("")]
    [InlineData("n")]
    [InlineData("3-1")]
    [InlineData("1-x")]
    public void Rejects_what_is_not_a_multiplicity(string vm) =>
        Assert.Throws<FormatException>(() => DicomValueMultiplicity.Parse(vm));
}
