using System.Security.Cryptography;

namespace CxrPacsAgent.Inference.Packages;

/// <summary>SHA-256 of a package's files: what model.json lists and what the runtime checks before loading a graph.</summary>
public static class PackageIntegrity
{
    /// <summary>Lower-case hex SHA-256 of a file's bytes.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Refuses a file whose hash differs from <paramref name="expected"/>, or (when running) a file with no hash listed.
    /// The exception names the package, the file and the model.json field.
    /// </summary>
    internal static void Verify(string path, string? expected, string package, string field, PackageOpenMode mode)
    {
        var file = Path.GetFileName(path);
        if (string.IsNullOrWhiteSpace(expected))
        {
            if (mode == PackageOpenMode.Upgrade)
            {
                return;
            }
            throw new ModelPackageException(ModelPackageError.IntegrityMismatch, package, file, field,
                "model.json lists no sha256 for this file, so the runtime cannot tell it is the file the package was made with");
        }
        var actual = Sha256(path);
        if (!string.Equals(actual, expected.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelPackageException(ModelPackageError.IntegrityMismatch, package, file, field,
                $"the file's sha256 is {actual}, model.json says {expected.Trim()}: the file was changed or replaced");
        }
    }
}
