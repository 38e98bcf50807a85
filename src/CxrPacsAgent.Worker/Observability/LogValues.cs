using System.Security.Cryptography;
using System.Text;

namespace CxrPacsAgent.Worker.Observability;

/// <summary>
/// Values from the network made safe for logs: a UID is digits and dots, so anything else (a line break forging a
/// log line, say) is replaced by a short hash.
/// </summary>
public static class LogValues
{
    public static string Uid(string? uid)
    {
        if (uid is { Length: > 0 and <= 64 } && uid.All(c => c is '.' or (>= '0' and <= '9')))
        {
            return uid;
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(uid ?? ""));
        return "invalid-uid-" + Convert.ToHexStringLower(hash)[..12];
    }
}
