using CxrPacsAgent.Worker.Admin;
using CxrPacsAgent.Worker.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Hosting;

/// <summary>
/// <c>cxr-agent serve</c>: the Generic Host (with Kestrel for /health, /metrics, /status and the admin page), configured from the
/// embedded defaults, <c>--config FILE</c> and <c>CXRAGENT_</c> environment variables; a systemd notify service or a
/// Windows service when started as one.
/// </summary>
public static class AgentHost
{
    public static WebApplication Build(string? configFile, Action<IConfigurationBuilder>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = "cxr-agent",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddAgentSources(configFile);
        configure?.Invoke(builder.Configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddConsole();
        builder.Services.AddSystemd();
        builder.Services.AddWindowsService(o => o.ServiceName = "cxr-agent");
        builder.Services.AddCxrAgent(builder.Configuration);
        services?.Invoke(builder.Services);
        var http = new HttpOptions();
        builder.Configuration.GetSection(HttpOptions.Section).Bind(http);
        builder.WebHost.UseUrls(http.UrlList());
        var app = builder.Build();
        if (http.TrustedProxyAddresses().ToList() is { Count: > 0 } proxies)
        {
            // Behind the site's reverse proxy the client is the one it forwards for: the sign-in lockout and the audit log
            // count that address. Only the listed proxies are believed, so a client cannot name itself another.
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            proxies.ForEach(forwarded.KnownProxies.Add);
            app.UseForwardedHeaders(forwarded);
        }
        app.UseAdminAuthentication();
        app.MapAgentEndpoints();
        app.MapAgentAdmin();
        return app;
    }

    /// <summary>Runs until SIGTERM/Ctrl+C (or the service manager stops it); returns the process exit code.</summary>
    public static async Task<int> RunAsync(string? configFile, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var app = Build(configFile);
            var problems = ConfigurationProblems(app.Services);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await Console.Error.WriteLineAsync($"error: configuration: {problem}").ConfigureAwait(false);
                }
                return 2;
            }
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (StartupException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"error: Http:Urls: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>
    /// Every configuration problem at once, each naming its key: values that do not parse, unknown keys, and values
    /// the options classes refuse. Checked before the host starts, so a bad file gives messages, not stack traces.
    /// </summary>
    public static IReadOnlyList<string> ConfigurationProblems(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var problems = new List<string>();
        void Check<T>(string section) where T : class
        {
            try
            {
                _ = services.GetRequiredService<IOptions<T>>().Value;
            }
            catch (OptionsValidationException e)
            {
                problems.AddRange(e.Failures);
            }
            catch (InvalidOperationException e)
            {
                // The binder's message names the key or the unknown property; the section makes it a full key.
                problems.Add($"{section}: {e.Message}");
            }
        }
        Check<DicomOptions>(DicomOptions.Section);
        Check<StorageOptions>(StorageOptions.Section);
        Check<ResultsOptions>(ResultsOptions.Section);
        Check<InferenceOptions>(InferenceOptions.Section);
        Check<PipelineOptions>(PipelineOptions.Section);
        Check<OutboxOptions>(OutboxOptions.Section);
        Check<HousekeepingOptions>(HousekeepingOptions.Section);
        Check<HttpOptions>(HttpOptions.Section);
        Check<DestinationsOptions>(DestinationsOptions.Section);
        Check<AdminOptions>(AdminOptions.Section);
        return problems;
    }
}
