namespace CxrPacsAgent.Worker.Hosting;

/// <summary>The HTTP endpoints /health, /metrics and /status (section <c>Http</c>).</summary>
public sealed class HttpOptions : IValidatedOptions
{
    public const string Section = "Http";

    /// <summary>Semicolon-separated URLs to listen on; loopback only by default. Empty turns HTTP off.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:11180";

    /// <summary>
    /// Semicolon-separated IP addresses of reverse proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are
    /// believed (the last hop only). Empty (default): the headers are ignored and the client is the connection's peer.
    /// </summary>
    public string TrustedProxies { get; set; } = "";

    /// <summary>The entries of <see cref="Urls"/>.</summary>
    public string[] UrlList() => Entries(Urls);

    /// <summary>The addresses of <see cref="TrustedProxies"/> that parse.</summary>
    public IEnumerable<System.Net.IPAddress> TrustedProxyAddresses() =>
        Entries(TrustedProxies).Select(e => System.Net.IPAddress.TryParse(e, out var a) ? a : null).OfType<System.Net.IPAddress>();

    private static string[] Entries(string list) => list.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<string> Validate()
    {
        foreach (var entry in Entries(TrustedProxies).Where(e => !System.Net.IPAddress.TryParse(e, out _)))
        {
            yield return $"Http:TrustedProxies: '{entry}' is not an IP address";
        }
        foreach (var url in UrlList())
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal),
                    UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                yield return $"Http:Urls: '{url}' is not an http:// or https:// URL";
            }
        }
    }
}
