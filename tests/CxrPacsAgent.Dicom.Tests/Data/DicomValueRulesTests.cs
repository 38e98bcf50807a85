using System.Globalization;
using CsCheck;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Tests.Data;

public class DicomValueRulesTests
{
    [Theory]
    [InlineData("CS", "ORIGINAL", true)]
    [InlineData("CS", "DERIVED_2 A", true)]
    [InlineData("CS", "original", false)] // upper case only
    [InlineData("CS", "A-B", false)]
    [InlineData("CS", "SIXTEEN_CHARS_OK", true)]
    [InlineData("CS", "SEVENTEEN_CHARS_X", false)]
    [InlineData("DA", "20240131", true)]
    [InlineData("DA", "20240101-20240131", true)] // a range, as C-FIND keys hold
    [InlineData("DA", "2024/01/31", false)]
    [InlineData("DA", "20240131T", false)]
    [InlineData("DA", "20240101-2024013111", false)] // 19 characters
    [InlineData("TM", "235959.999999", true)]
    [InlineData("TM", "23:59", true)] // ACR-NEMA style, still read
    [InlineData("TM", "2359a", false)]
    [InlineData("DT", "20240131235959.123456+0100", true)]
    [InlineData("DT", "2024-01-31T23", false)]
    [InlineData("IS", "-2147483648", true)]
    [InlineData("IS", "+12", true)]
    [InlineData("IS", "1.5", false)]
    [InlineData("IS", "1234567890123", false)] // 13 characters
    [InlineData("DS", "-1.5E-05", true)]
    [InlineData("DS", "0.1234567890123456", false)] // 18 characters
    [InlineData("DS", "1,5", false)]
    [InlineData("AS", "045Y", true)]
    [InlineData("AS", "45Y", false)]
    [InlineData("AS", "045X", false)]
    [InlineData("AE", "CXR_AGENT-1", true)]
    [InlineData("AE", "TAB\tBED", false)]
    [InlineData("AE", "SEVENTEEN_CHARS_X", false)]
    [InlineData("LO", "Chest PA, 2 views", true)]
    [InlineData("LO", "line\nbreak", false)] // control characters only in LT, ST, UT
    [InlineData("LO", "esc \u001b$B ok", true)] // ESC starts ISO 2022 code extensions
    [InlineData("LT", "line\nbreak\\kept", true)] // single-valued: backslash is text
    [InlineData("UI", "1.2.840.10008.1.2.1", true)]
    [InlineData("UI", "1.2.08", false)] // leading zero (PS3.5 9.1)
    [InlineData("UI", "", true)]
    public void Values_follow_the_repertoire_and_length_of_their_VR(string vr, string value, bool valid) =>
        Assert.Equal(valid, DicomValueRules.Violation(DicomVR.Parse(vr), value) is null);

    [Fact]
    public void A_backslash_in_a_multi_valued_VR_must_be_passed_as_separate_values()
    {
        Assert.Contains("backslash", DicomValueRules.Violation(DicomVR.CS, "A\\B"), StringComparison.Ordinal);
        var dataset = new DicomDataset().AddOrUpdate(DicomTags.ImageType, "A", "B");
        Assert.Equal(["A", "B"], dataset.GetStrings(DicomTags.ImageType));
        var e = Assert.Throws<ArgumentException>(() => dataset.AddOrUpdate(DicomTags.ImageType, "A\\B"));
        Assert.Contains(DicomTags.ImageType.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Person_names_are_limited_per_component_group()
    {
        var group = new string('A', 64);
        Assert.Null(DicomValueRules.Violation(DicomVR.PN, $"{group}={group}={group}"));
        Assert.NotNull(DicomValueRules.Violation(DicomVR.PN, group + "A"));
    }

    [Fact]
    public void Setting_an_invalid_value_throws_and_leaves_the_data_set_unchanged()
    {
        var dataset = new DicomDataset().AddOrUpdate(DicomTags.Modality, "DX");
        Assert.Throws<ArgumentException>(() => dataset.AddOrUpdate(DicomTags.Modality, "dx"));
        Assert.Throws<ArgumentException>(() => dataset.AddOrUpdate(DicomTags.StudyInstanceUID, "1.2.x"));
        Assert.Equal("DX", dataset.GetString(DicomTags.Modality));
        Assert.False(dataset.Contains(DicomTags.StudyInstanceUID));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(1.0 / 3, "0.33333333333333")]
    [InlineData(-1.0 / 3, "-0.3333333333333")]
    [InlineData(123456789012345678.0, "1.2345678901E+17")]
    [InlineData(1e-300, "1E-300")]
    public void Decimal_strings_fit_16_characters(double value, string expected) =>
        Assert.Equal(expected, DicomValueRules.FormatDecimalString(value));

    [Fact]
    public void Every_finite_double_formats_as_a_valid_DS_that_reads_back_close()
    {
        Gen.Double.Where(double.IsFinite).Sample(value =>
        {
            var text = DicomValueRules.FormatDecimalString(value);
            Assert.True(text.Length <= 16, text);
            Assert.Null(DicomValueRules.Violation(DicomVR.DS, text));
            var back = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            // 16 characters keep at least 10 significant digits (the worst case is "-1.234567891E-300").
            Assert.True(back == value || Math.Abs(back - value) <= Math.Abs(value) * 1e-9 || double.IsSubnormal(value), $"{value} → {text}");
        }, iter: 5000);
    }

    [Fact]
    public void DS_refuses_what_it_cannot_hold()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DicomValueRules.FormatDecimalString(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => DicomValueRules.FormatDecimalString(double.PositiveInfinity));
    }
}
