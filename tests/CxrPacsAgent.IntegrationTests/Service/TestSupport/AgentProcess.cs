using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;

namespace CxrPacsAgent.IntegrationTests.Service.TestSupport;

/// <summary>
/// `cxr-agent serve` as a child process, as systemd runs it: a settings file over the embedded defaults, its own data
/// folder, free ports, short retry intervals. It can be killed with SIGKILL and started again on the same data.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    public const string AeTitle = "CXR_AGENT";

    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "cxr-agent.dll");

    private readonly string configFile;
    private readonly System.Text.StringBuilder log = new();
    private PeerProcess? process;

    public AgentProcess(string root, JsonObject? settings = null)
    {
        Root = root;
        Directory.CreateDirectory(root);
        var config = new JsonObject
        {
            ["Dicom"] = new JsonObject { ["Port"] = DicomPort, ["BindAddress"] = "127.0.0.1" },
            ["Storage"] = new JsonObject { ["Root"] = Path.Combine(root, "data") },
            ["Http"] = new JsonObject { ["Urls"] = $"http://127.0.0.1:{HttpPort}" },
            ["Pipeline"] = new JsonObject { ["RetryDelay"] = "00:00:01" },
            ["Outbox"] = new JsonObject
            {
                ["FirstRetryDelay"] = "00:00:01", ["MaxRetryDelay"] = "00:00:02", ["PollInterval"] = "00:00:02", ["ConnectTimeout"] = "00:00:05",
            },
        };
        foreach (var (key, value) in settings ?? [])
        {
            config[key] = value?.DeepClone();
        }
        configFile = Path.Combine(root, "agent.json");
        File.WriteAllText(configFile, config.ToJsonString());
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Root { get; }

    public string Data => Path.Combine(Root, "data");

    public string Results => Path.Combine(Data, "results");

    public int DicomPort { get; } = Loopback.FreePort();

    public int HttpPort { get; } = Loopback.FreePort();

    public HttpClient Http { get; }

    public int Starts { get; private set; }

    /// <summary>Everything every run of the process printed.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log + (process?.Output ?? "");
            }
        }
    }

    /// <summary>Starts the process and waits until /health/ready says it takes instances.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        process = PeerProcess.Start("dotnet", [Dll, "serve", "--config", configFile], Root);
        Starts++;
        await WaitReadyAsync(Http, process, () => Log, timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits until <paramref name="agent"/>'s /health/ready answers success; fails with its output if it exits or times out.</summary>
    public static async Task WaitReadyAsync(HttpClient http, PeerProcess agent, Func<string> output, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync(new Uri("health/ready", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            if (agent.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the agent did not become ready:\n{output()}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL, mid-whatever-it-was-doing.</summary>
    public async Task KillAsync()
    {
        if (process is null)
        {
            return;
        }
        await process.KillAsync();
        Retire();
    }

    /// <summary>Sends a signal by name (STOP, CONT: a pause as a long GC, a VM freeze or a partition looks to the others).</summary>
    public void Signal(string name)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{name}", process!.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>GET /metrics, as Prometheus reads it.</summary>
    public Task<string> MetricsAsync() => Http.GetStringAsync(new Uri("metrics", UriKind.Relative));

    /// <summary>SIGTERM; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        process!.Terminate();
        var code = await process.WaitAsync(TimeSpan.FromSeconds(30));
        Retire();
        return code;
    }

    public async Task<JsonNode> StatusAsync() => (await Http.GetFromJsonAsync<JsonNode>(new Uri("status", UriKind.Relative)))!;

    /// <summary>The JSON result written for an instance, or null.</summary>
    public JsonObject? Result(string sopInstanceUid)
    {
        var path = Path.Combine(Results, sopInstanceUid + ".json");
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : null;
    }

    /// <summary>Waits until /status shows nothing waiting: no job unfinished, nothing pending in the outbox.</summary>
    public async Task WaitIdleAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await StatusAsync();
            var jobs = status["jobs"]!;
            var busy = (long)jobs["received"]! + (long)jobs["scored"]! + (long)jobs["indexed"]! + (long)jobs["reported"]!
                + (long)status["outbox"]!["pending"]!;
            if (busy == 0)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"still busy: {status.ToJsonString()}\n{Log}");
            }
            await Task.Delay(200);
        }
    }

    private void Retire()
    {
        lock (log)
        {
            log.Append(process!.Output);
        }
        _ = process.DisposeAsync();
        process = null;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (process is not null)
        {
            await process.DisposeAsync();
        }
    }

    public static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
