namespace CxrPacsAgent.Worker.Hosting;

/// <summary>The HTTP endpoints /health, /metrics and /status (section <c>Http</c>).</summary>
public sealed class HttpOptions : IValidatedOptions
{
    public const string Section = "Http";

    /// <summary>Semicolon-separated URLs to listen on; loopback only by default. Empty turns HTTP off.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:11180";

    public IEnumerable<string> Validate()
    {
        foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal),
                    UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                yield return $"Http:Urls: '{url}' is not an http:// or https:// URL";
            }
        }
    }
}
