using CxrPacsAgent.Dicom.Network.Storage;

namespace CxrPacsAgent.Dicom.Tests.Network.Storage;

public class StorageNamingTests
{
    [Theory]
    [InlineData("1.2.840.113619.2.55.3", "1.2.840.113619.2.55.3.dcm")]
    [InlineData("1.2.03.4", "1.2.03.4.dcm")]
    public void Uids_name_their_files(string uid, string name) => Assert.Equal(name, FileStoreHandler.FileNameFor(uid));

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("1.2/../../x")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("C:\\temp\\x")]
    public void A_uid_that_is_not_digits_and_dots_cannot_choose_the_path(string uid)
    {
        var name = FileStoreHandler.FileNameFor(uid);
        Assert.StartsWith("uid-", name, StringComparison.Ordinal);
        Assert.Equal(name, Path.GetFileName(name));
        Assert.DoesNotContain("..", name, StringComparison.Ordinal);
    }
}
