using System.Text.Json;
using CxrPacsAgent.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Tests.Hosting;

/// <summary>The embedded defaults, the override order, and start-up validation that names the bad key.</summary>
public sealed class ConfigurationTests
{
    private static IConfiguration Configuration(IDictionary<string, string?>? overrides = null, string? file = null)
    {
        var builder = new ConfigurationBuilder().AddAgentSources(file);
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }
        return builder.Build();
    }

    private static T Options<T>(IConfiguration configuration) where T : class
    {
        var services = new ServiceCollection().AddLogging().AddCxrAgent(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<T>>().Value;
    }

    /// <summary>The failure messages one bad setting gives, as start-up would print them.</summary>
    private static string Failure(string key, string? value)
    {
        var configuration = Configuration(new Dictionary<string, string?> { [key] = value });
        var exception = Record.Exception(() =>
        {
            Options<DicomOptions>(configuration);
            Options<StorageOptions>(configuration);
            Options<InferenceOptions>(configuration);
            Options<PipelineOptions>(configuration);
            Options<OutboxOptions>(configuration);
            Options<HousekeepingOptions>(configuration);
            Options<HttpOptions>(configuration);
            Options<DestinationsOptions>(configuration);
        });
        Assert.NotNull(exception);
        return exception is OptionsValidationException v ? string.Join("\n", v.Failures) : exception.Message;
    }

    [Fact]
    public void The_embedded_defaults_are_valid_and_agree_with_the_options_classes()
    {
        var configuration = Configuration();
        static string Json(object o) => JsonSerializer.Serialize(o);
        Assert.Equal(Json(new DicomOptions()), Json(Options<DicomOptions>(configuration)));
        Assert.Equal(Json(new StorageOptions()), Json(Options<StorageOptions>(configuration)));
        Assert.Equal(Json(new ResultsOptions()), Json(Options<ResultsOptions>(configuration)));
        Assert.Equal(Json(new InferenceOptions()), Json(Options<InferenceOptions>(configuration)));
        Assert.Equal(Json(new PipelineOptions()), Json(Options<PipelineOptions>(configuration)));
        Assert.Equal(Json(new OutboxOptions()), Json(Options<OutboxOptions>(configuration)));
        Assert.Equal(Json(new HousekeepingOptions()), Json(Options<HousekeepingOptions>(configuration)));
        Assert.Equal(Json(new HttpOptions()), Json(Options<HttpOptions>(configuration)));
        Assert.Empty(Options<DestinationsOptions>(configuration).Items);
        var dicom = Options<DicomOptions>(configuration);
        Assert.Equal(("CXR_AGENT", 11112), (dicom.AeTitle, dicom.Port));
        Assert.Equal("data", Options<StorageOptions>(configuration).Root);
        Assert.StartsWith("http://127.0.0.1:", Options<HttpOptions>(configuration).Urls, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Dicom:Port", "-1", "Dicom:Port")]
    [InlineData("Dicom:Port", "70000", "Dicom:Port")]
    [InlineData("Dicom:AeTitle", "A_TITLE_LONGER_THAN_16", "Dicom:AeTitle")]
    [InlineData("Dicom:AeTitle", "BACK\\SLASH", "Dicom:AeTitle")]
    [InlineData("Dicom:BindAddress", "localhost", "Dicom:BindAddress")]
    [InlineData("Dicom:IdleTimeout", "00:01:00", "Dicom:IdleTimeout")]
    [InlineData("Dicom:AllowedCallingAeTitles:0", "ROUTER@", "Dicom:AllowedCallingAeTitles:0")]
    [InlineData("Storage:Root", " ", "Storage:Root")]
    [InlineData("Inference:ModelPath", "/no/such/package", "Inference:ModelPath")]
    [InlineData("Pipeline:QueueCapacity", "0", "Pipeline:QueueCapacity")]
    [InlineData("Pipeline:DrainTimeout", "-00:00:01", "Pipeline:DrainTimeout")]
    [InlineData("Pipeline:DrainTimeout", "00:11:00", "Pipeline:DrainTimeout")]
    [InlineData("Outbox:MaxRetryDelay", "00:00:01", "Outbox:MaxRetryDelay")]
    [InlineData("Outbox:CallingAeTitle", "WAY_TOO_LONG_AE_TITLE", "Outbox:CallingAeTitle")]
    [InlineData("Housekeeping:DailyStatisticsAt", "1.00:00:00", "Housekeeping:DailyStatisticsAt")]
    [InlineData("Http:Urls", "ftp://127.0.0.1:21", "Http:Urls")]
    [InlineData("Http:TrustedProxies", "10.0.0.5; proxy.example", "Http:TrustedProxies: 'proxy.example' is not an IP address")]
    [InlineData("Destinations:0:Name", "PACS", "Destinations:0:AeTitle")]
    public void A_bad_value_is_refused_with_its_key(string key, string value, string named)
    {
        Assert.Contains(named, Failure(key, value), StringComparison.Ordinal);
    }

    [Fact]
    public void Values_that_do_not_parse_and_unknown_keys_name_the_key()
    {
        Assert.Contains("Dicom:Port", Failure("Dicom:Port", "eleven"), StringComparison.Ordinal);
        Assert.Contains("Inference:Device", Failure("Inference:Device", "gpu"), StringComparison.Ordinal);
        // A misspelt key would otherwise be ignored in silence, and the default used.
        Assert.Contains("Prot", Failure("Dicom:Prot", "104"), StringComparison.Ordinal);
    }

    [Fact]
    public void Destinations_are_checked_one_by_one_and_names_must_differ()
    {
        var configuration = Configuration(new Dictionary<string, string?>
        {
            ["Destinations:0:Name"] = "pacs",
            ["Destinations:0:AeTitle"] = "ORTHANC",
            ["Destinations:0:Host"] = "127.0.0.1",
            ["Destinations:0:Port"] = "4242",
            ["Destinations:1:Name"] = "PACS",
            ["Destinations:1:AeTitle"] = "OTHER",
            ["Destinations:1:Host"] = "",
            ["Destinations:1:Port"] = "4243",
        });
        var e = Assert.Throws<OptionsValidationException>(() => Options<DestinationsOptions>(configuration));
        Assert.Contains(e.Failures, f => f.StartsWith("Destinations:1:Name", StringComparison.Ordinal) && f.Contains("twice", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.StartsWith("Destinations:1:Host", StringComparison.Ordinal));
        Assert.DoesNotContain(e.Failures, f => f.StartsWith("Destinations:0", StringComparison.Ordinal));
    }

    [Fact]
    public void A_config_file_overrides_the_defaults_and_environment_variables_override_the_file()
    {
        using var temp = new TestSupport.TempFolder("config");
        var file = Path.Combine(temp.Path, "site.json");
        File.WriteAllText(file, """{ "Dicom": { "AeTitle": "SITE_AGENT", "Port": 11200 }, "Housekeeping": { "KeepFailedFor": "1.00:00:00" } }""");
        const string variable = AgentConfiguration.EnvironmentPrefix + "Housekeeping__KeepFailedFor";
        Environment.SetEnvironmentVariable(variable, "2.00:00:00");
        try
        {
            var configuration = Configuration(file: file);
            Assert.Equal("SITE_AGENT", Options<DicomOptions>(configuration).AeTitle);
            Assert.Equal(11200, Options<DicomOptions>(configuration).Port);
            Assert.Equal(TimeSpan.FromDays(2), Options<HousekeepingOptions>(configuration).KeepFailedFor);
            Assert.Equal("data", Options<StorageOptions>(configuration).Root);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
        var missing = Assert.Throws<StartupException>(() => Configuration(file: Path.Combine(temp.Path, "absent.json")));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--config", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_calling_ae_allow_list_takes_titles_with_or_without_a_host()
    {
        Assert.True(CallingAe.TryParse("ROUTER", out var plain));
        Assert.Equal(("ROUTER", (string?)null), (plain!.AeTitle, plain.Host));
        Assert.True(CallingAe.TryParse("MODALITY1@10.0.0.5", out var hosted));
        Assert.Equal(("MODALITY1", "10.0.0.5"), (hosted!.AeTitle, hosted.Host));
        Assert.False(CallingAe.TryParse("@10.0.0.5", out _));
        Assert.False(CallingAe.TryParse("", out _));
        Assert.False(CallingAe.TryParse("A_TITLE_LONGER_THAN_16@host", out _));
    }
}
