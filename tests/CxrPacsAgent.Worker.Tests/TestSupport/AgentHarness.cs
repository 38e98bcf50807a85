using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Network.Client;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Intake;
using CxrPacsAgent.Worker.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CxrPacsAgent.Worker.Tests.TestSupport;

/// <summary>
/// The service as `serve` builds it, in the test process: its own data folder, a free DICOM port, HTTP on a free
/// loopback port. Instances go in over real DICOM associations (the toolkit's SCU) and results are read from the
/// state store, the results folder and the HTTP endpoints.
/// </summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    public const string CallingAeTitle = "TEST_ROUTER";

    private readonly WebApplication app;
    private readonly TempFolder? ownFolder;

    private AgentHarness(WebApplication app, TempFolder? ownFolder)
    {
        this.app = app;
        this.ownFolder = ownFolder;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<AgentHarness> StartAsync(IDictionary<string, string?>? settings = null, string? root = null,
        Action<IServiceCollection>? services = null)
    {
        var folder = root is null ? new TempFolder("agent") : null;
        var configuration = new Dictionary<string, string?>
        {
            ["Storage:Root"] = root ?? folder!.Path,
            ["Dicom:Port"] = "0",
            ["Http:Urls"] = "http://127.0.0.1:0",
            ["Pipeline:RetryDelay"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        var app = AgentHost.Build(null, c => c.AddInMemoryCollection(configuration), services);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            folder?.Dispose();
            throw;
        }
        return new AgentHarness(app, folder);
    }

    public IServiceProvider Services => app.Services;

    public int DicomPort => Services.GetRequiredService<DicomListenerService>().Port;

    public HttpClient Http { get; }

    public IStateStore Store => Services.GetRequiredService<IStateStore>();

    public AgentPaths Paths => Services.GetRequiredService<AgentPaths>();

    public Task<IReadOnlyList<StoreResult>> SendAsync(params string[] files) =>
        StoreScu.SendAsync("127.0.0.1", DicomPort, files,
            new DicomClientOptions { CallingAeTitle = CallingAeTitle, CalledAeTitle = AgentDefaults.AeTitle });

    /// <summary>Waits until the instance's job is final (or reported, when <paramref name="reported"/>).</summary>
    public async Task<JobRecord> WaitForAsync(string sopInstanceUid, bool reported = false, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var job = await Store.FindAsync(sopInstanceUid);
            if (job is not null && (job.State.IsFinal() || (reported && job.State == JobState.Reported)))
            {
                return job;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{sopInstanceUid} is still {job?.State.ToString() ?? "not received"}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>The JSON result of an instance.</summary>
    public JsonObject Result(string sopInstanceUid) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Paths.Results, sopInstanceUid + ".json")))!.AsObject();

    public async Task<string> GetAsync(string path) => await Http.GetStringAsync(new Uri(path, UriKind.Relative));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        ownFolder?.Dispose();
    }
}
