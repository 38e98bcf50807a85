using System.Security.Cryptography;
using System.Text;

namespace CxrPacsAgent.Retrieval.Patients;

/// <summary>
/// The one place patient ids become keys: HMAC-SHA256 of the id (and its issuer) under a site's secret salt, as 64
/// lowercase hex digits. The same patient gets the same key on every run with the same salt, so "exclude this patient"
/// and log correlation work, while the id itself is never stored or logged and cannot be recovered without the salt.
/// </summary>
public sealed class PatientIdHasher
{
    /// <summary>Shortest salt accepted (128 bits).</summary>
    public const int MinimumSaltBytes = 16;

    private const int HashHexLength = 64;
    private readonly byte[] salt;

    public PatientIdHasher(ReadOnlySpan<byte> salt)
    {
        if (salt.Length < MinimumSaltBytes)
        {
            throw new RetrievalException(RetrievalError.InvalidSalt,
                $"the patient-id salt has {salt.Length} bytes; at least {MinimumSaltBytes} are needed");
        }
        this.salt = salt.ToArray();
    }

    /// <summary>
    /// The key of Patient ID (0010,0020) within Issuer of Patient ID (0010,0021); null when there is no id. DICOM
    /// padding (trailing spaces, NUL) does not change the key.
    /// </summary>
    public string? Hash(string? patientId, string? issuerOfPatientId = null)
    {
        var id = Clean(patientId);
        if (id.Length == 0)
        {
            return null;
        }
        // Unit separator (0x1F) cannot occur in an LO value, so (issuer, id) pairs cannot collide by concatenation.
        var message = Encoding.UTF8.GetBytes($"{Clean(issuerOfPatientId)}\u001F{id}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(salt, message));
    }

    /// <summary>Whether <paramref name="value"/> has the form of a key (so a raw id is never taken for one).</summary>
    public static bool IsHash(string? value) =>
        value is { Length: HashHexLength } && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static string Clean(string? value) => (value ?? "").Trim(' ', '\0');
}
