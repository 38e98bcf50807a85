using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace CxrPacsAgent.Worker.Admin;

/// <summary>
/// The effective configuration (embedded defaults, <c>--config</c> file and <c>CXRAGENT_</c> variables merged), read
/// only, one row per key. Values of keys that name a secret are masked: whether one is set shows, never what it is.
/// </summary>
public sealed class ConfigurationView(IConfiguration configuration)
{
    public const string Mask = "********";

    /// <summary>Words in the last part of a key that make its value a secret.</summary>
    private static readonly string[] SecretWords = ["password", "secret", "token", "hash", "connectionstring", "privatekey", "apikey"];

    public static bool IsSecret(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var last = key[(key.LastIndexOf(':') + 1)..];
        return SecretWords.Any(w => last.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    public JsonArray Build() => new([.. configuration.AsEnumerable()
        .Where(kv => kv.Value is not null)
        .OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase)
        .Select(kv => (JsonNode?)new JsonObject
        {
            ["key"] = kv.Key,
            ["value"] = IsSecret(kv.Key) && kv.Value!.Length > 0 ? Mask : kv.Value,
            ["masked"] = IsSecret(kv.Key) && kv.Value!.Length > 0,
        })]);
}
