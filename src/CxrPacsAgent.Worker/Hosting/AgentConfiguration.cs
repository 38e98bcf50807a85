using Microsoft.Extensions.Configuration;

namespace CxrPacsAgent.Worker.Hosting;

/// <summary>
/// Where `serve` reads its settings, later sources overriding earlier ones: the defaults embedded in the executable
/// (config/appsettings.json), then the file given with <c>--config</c>, then environment variables
/// <c>CXRAGENT_Section__Key</c> (two underscores for each level).
/// </summary>
public static class AgentConfiguration
{
    public const string EnvironmentPrefix = "CXRAGENT_";

    private const string EmbeddedDefaults = "CxrPacsAgent.Worker.appsettings.json";

    public static IConfigurationBuilder AddAgentSources(this IConfigurationBuilder builder, string? configFile)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddJsonStream(Defaults());
        if (configFile is not null)
        {
            var path = Path.GetFullPath(configFile);
            if (!File.Exists(path))
            {
                throw new StartupException($"--config: '{path}' does not exist") { ExitCode = 2 };
            }
            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        return builder;
    }

    /// <summary>The embedded config/appsettings.json.</summary>
    public static Stream Defaults() =>
        typeof(AgentConfiguration).Assembly.GetManifestResourceStream(EmbeddedDefaults)
        ?? throw new InvalidOperationException($"the embedded {EmbeddedDefaults} is missing from the build");
}
