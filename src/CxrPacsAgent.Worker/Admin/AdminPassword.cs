using Microsoft.AspNetCore.Identity;

namespace CxrPacsAgent.Worker.Admin;

/// <summary>
/// The administrator's password hash: ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (format 3:
/// PBKDF2-HMAC-SHA512, 100,000 iterations, 128-bit salt, base64), so only the hash is ever in configuration.
/// </summary>
public static class AdminPassword
{
    /// <summary>Format 3 of the hasher: marker byte, PRF, iterations, salt length, salt (16) and subkey (32).</summary>
    private const int Format3MinimumLength = 1 + 4 + 4 + 4 + 16 + 32;

    private static readonly PasswordHasher<AdminOptions> Hasher = new();

    public static string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return Hasher.HashPassword(null!, password);
    }

    public static bool Verify(string hash, string password)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(password);
        return IsHash(hash) && Hasher.VerifyHashedPassword(null!, hash, password) != PasswordVerificationResult.Failed;
    }

    /// <summary>True for a well-formed format 3 hash (what <see cref="Hash"/> makes).</summary>
    public static bool IsHash(string text)
    {
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var length) && length >= Format3MinimumLength && bytes[0] == 0x01;
    }
}
