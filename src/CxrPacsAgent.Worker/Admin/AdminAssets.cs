using Microsoft.AspNetCore.Http;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace CxrPacsAgent.Worker.Admin;

/// <summary>
/// The page's files (Admin/wwwroot), embedded in the executable so the page works on a machine with nothing beside it
/// and never loads anything from elsewhere.
/// </summary>
public static class AdminAssets
{
    private const string Prefix = "CxrPacsAgent.Worker.Admin.wwwroot.";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>The named file, or 404 for a name that is not one of them.</summary>
    public static IResult Serve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var stream = name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal)
            ? null
            : typeof(AdminAssets).Assembly.GetManifestResourceStream(Prefix + name);
        return stream is null || !ContentTypes.TryGetValue(Path.GetExtension(name), out var type)
            ? HttpResults.NotFound()
            : HttpResults.Stream(stream, type);
    }
}
