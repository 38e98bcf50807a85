using System.Security.Cryptography;

namespace CxrPacsAgent.Retrieval.Patients;

/// <summary>
/// The site's salt for <see cref="PatientIdHasher"/>, kept in a file beside the state database: created once with 32
/// random bytes (owner read/write only), then read on every start. Losing it makes old keys unmatchable, never readable.
/// </summary>
public static class PatientIdSalt
{
    public const int Bytes = 32;

    /// <summary>The salt file's name beside the state database, where the service and the index verbs both look.</summary>
    public const string DefaultFileName = "patient-id.salt";

    /// <summary>The salt in <paramref name="path"/>, created there first when the file does not exist.</summary>
    public static byte[] LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(folder);
            var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(RandomNumberGenerator.GetBytes(Bytes));
                stream.Flush(flushToDisk: true);
            }
            try
            {
                // Two processes starting together: the first rename wins and both read the winner's salt.
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }
        var salt = File.ReadAllBytes(path);
        if (salt.Length < PatientIdHasher.MinimumSaltBytes)
        {
            throw new RetrievalException(RetrievalError.InvalidSalt,
                $"{path} holds {salt.Length} bytes; a patient-id salt needs at least {PatientIdHasher.MinimumSaltBytes}");
        }
        return salt;
    }
}
