using CxrPacsAgent.Worker.Admin;

namespace CxrPacsAgent.Worker.Tests.Cli;

/// <summary><c>cxr-agent hash-password</c>: what it prints is what <c>Admin:PasswordHash</c> takes.</summary>
public sealed class HashPasswordCommandTests
{
    [Fact]
    public void The_printed_hash_verifies_the_password_and_nothing_else()
    {
        var (code, stdout, stderr) = CliRunner.RunWithInput("correct horse battery staple\n", "hash-password");
        Assert.True(code == 0, stderr);
        var hash = stdout.Trim();
        Assert.True(AdminPassword.IsHash(hash), hash);
        Assert.True(AdminPassword.Verify(hash, "correct horse battery staple"));
        Assert.False(AdminPassword.Verify(hash, "correct horse battery stapl"));
        // Salted: the same password twice gives two hashes.
        Assert.NotEqual(hash, CliRunner.RunWithInput("correct horse battery staple\n", "hash-password").Stdout.Trim());
    }

    [Theory]
    [InlineData("short\n")]
    [InlineData("")]
    public void A_short_or_missing_password_is_refused(string input)
    {
        var (code, stdout, stderr) = CliRunner.RunWithInput(input, "hash-password");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("at least 12 characters", stderr, StringComparison.Ordinal);
    }
}
