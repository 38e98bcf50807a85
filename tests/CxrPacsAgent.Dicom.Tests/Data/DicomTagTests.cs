using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Tests.Data;

public class DicomTagTests
{
    [Theory]
    [InlineData("(0010,0010)", 0x00100010u)]
    [InlineData("7FE0,0010", 0x7FE00010u)]
    [InlineData("fffee000", 0xFFFEE000u)]
    public void Parse_accepts_the_usual_spellings(string text, uint expected) =>
        Assert.Equal(expected, DicomTag.Parse(text).Value);

    [Fact]
    public void Parse_rejects_garbage() => Assert.Throws<FormatException>(() => DicomTag.Parse("(0010,001)"));

    [Fact]
    public void Private_groups_and_creators_follow_PS3_5_7_8()
    {
        Assert.True(new DicomTag(0x0009, 0x1001).IsPrivate);
        Assert.False(new DicomTag(0x0007, 0x0010).IsPrivate);
        Assert.False(new DicomTag(0xFFFF, 0x0010).IsPrivate);
        Assert.True(new DicomTag(0x0029, 0x0010).IsPrivateCreator);
        Assert.False(new DicomTag(0x0029, 0x1010).IsPrivateCreator);
        Assert.Equal(new DicomTag(0x0029, 0x0010), new DicomTag(0x0029, 0x1010).PrivateCreatorTag);
    }

    [Fact]
    public void Order_is_group_then_element()
    {
        Assert.True(new DicomTag(0x0008, 0xFFFF) < new DicomTag(0x0010, 0x0000));
        Assert.Equal("(7FE0,0010)", new DicomTag(0x7FE0, 0x0010).ToString());
    }

    [Fact]
    public void Every_VR_of_table_6_2_1_round_trips_its_code()
    {
        Assert.Equal(34, DicomVR.All.Count);
        foreach (var vr in DicomVR.All)
        {
            Assert.Same(vr, DicomVR.Parse(vr.Code));
        }
        string[] longLength = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV"];
        Assert.Equal(longLength.Order(), DicomVR.All.Where(v => v.HasLongExplicitLength).Select(v => v.Code).Order());
    }
}
