using System.Security.Cryptography;
using System.Text;

namespace CxrPacsAgent.Dicom.Network.Storage;

/// <summary>
/// The plain receiver: each instance becomes <c>{output}/{SOP Instance UID}.dcm</c>, a later copy replacing an
/// earlier one.
/// </summary>
public sealed class FileStoreHandler(string outputDirectory) : IStoreHandler
{
    public string OutputDirectory { get; } = Path.GetFullPath(outputDirectory);

    public async ValueTask<StoreOutcome> OnInstanceReceivedAsync(ReceivedInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await instance.CommitAsync(Path.Combine(OutputDirectory, FileNameFor(instance.SopInstanceUid)), cancellationToken)
            .ConfigureAwait(false);
        return StoreOutcome.Success;
    }

    /// <summary>
    /// The file name for a UID from the network: only digits and dots make a name as they are; anything else (a
    /// path separator, say) is replaced by a hash, so a peer cannot choose where a file lands.
    /// </summary>
    public static string FileNameFor(string sopInstanceUid)
    {
        ArgumentNullException.ThrowIfNull(sopInstanceUid);
        var plain = sopInstanceUid.Length is > 0 and <= 64
            && sopInstanceUid.All(c => c is '.' or (>= '0' and <= '9'))
            && sopInstanceUid.Trim('.').Length > 0;
        if (plain)
        {
            return sopInstanceUid + ".dcm";
        }
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sopInstanceUid)))[..16];
        return "uid-" + hash.ToLowerInvariant() + ".dcm";
    }
}
