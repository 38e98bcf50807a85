using CxrPacsAgent.Dicom.Network;

namespace CxrPacsAgent.Dicom.Tests.Network;

public class PeerTextTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.1", "1.2.840.10008.1.1")]
    [InlineData("1.2.3\nWARNING forged line", "1.2.3?WARNING forged line")]
    [InlineData("\u001b[31m1.2", "?[31m1.2")]
    [InlineData("CAF\u00c9", "CAF?")]
    [InlineData(null, "")]
    public void Peer_values_are_printable_ascii_in_logs(string? value, string expected) => Assert.Equal(expected, PeerText.Sanitize(value));

    [Fact]
    public void Long_values_are_cut()
    {
        var text = PeerText.Sanitize(new string('1', 500));
        Assert.Equal(PeerText.MaxLength + 1, text.Length);
        Assert.EndsWith("…", text, StringComparison.Ordinal);
    }
}
