using System.Security.Cryptography;
using CxrPacsAgent.Dicom.Network.Storage;
using CxrPacsAgent.Worker.Hosting;

namespace CxrPacsAgent.Worker.Intake;

/// <summary>
/// The spool folder: each received instance is committed here as <c>{SOP Instance UID}.{hash}.dcm</c> before its
/// C-STORE is answered. The hash (of the data set bytes as received) is in the name so that a changed copy of an
/// instance never overwrites the copy a stage may be reading.
/// </summary>
public sealed class Spool(AgentPaths paths)
{
    public string Folder { get; } = (paths ?? throw new ArgumentNullException(nameof(paths))).Spool;

    public string PathOf(string spoolFile) => Path.Combine(Folder, spoolFile);

    public static string FileName(string sopInstanceUid, string contentHash)
    {
        ArgumentNullException.ThrowIfNull(contentHash);
        var name = FileStoreHandler.FileNameFor(sopInstanceUid);
        return $"{name[..^".dcm".Length]}.{contentHash[..16]}.dcm";
    }

    /// <summary>SHA-256 (lower-case hex) of a file's bytes from <paramref name="offset"/> on: the data set as received.</summary>
    public static async Task<string> HashAsync(string path, long offset, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            stream.Position = offset;
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return Convert.ToHexStringLower(hash);
        }
    }
}
