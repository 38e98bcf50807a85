using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CxrPacsAgent.IntegrationTests.Network.TestSupport;

/// <summary>
/// A real Orthanc (the PACS of PEERS.md) on free high ports with its own storage, driven through its REST API and
/// stopped by its PID. It listens on all interfaces, so nothing but loopback traffic is ever sent to it.
/// </summary>
public sealed class Orthanc : IAsyncLifetime
{
    public const string AeTitle = "ORTHANC";

    private readonly TempFolder folder = new("orthanc");
    private PeerProcess? process;

    public int DicomPort { get; } = Loopback.FreePort();

    public int HttpPort { get; } = Loopback.FreePort();

    public HttpClient Http { get; private set; } = null!;

    public string Log => process?.Output ?? "";

    public Task InitializeAsync() => StartAsync();

    /// <summary>Starts Orthanc (again, after <see cref="StopAsync"/>: same ports, same storage).</summary>
    public async Task StartAsync()
    {
        var config = new JsonObject
        {
            ["Name"] = "cxr-net-test",
            ["HttpPort"] = HttpPort,
            ["DicomPort"] = DicomPort,
            ["DicomAet"] = AeTitle,
            ["StorageDirectory"] = Path.Combine(folder.Path, "db"),
            ["IndexDirectory"] = Path.Combine(folder.Path, "db"),
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["DicomCheckCalledAet"] = false,
            ["DicomAlwaysAllowStore"] = true,
            ["DicomAlwaysAllowEcho"] = true,
            ["DicomModalities"] = new JsonObject(),
            ["Plugins"] = new JsonArray(),
        };
        var path = Path.Combine(folder.Path, "config.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        process = PeerProcess.Start("Orthanc", [path], folder.Path);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}/"), Timeout = TimeSpan.FromSeconds(60) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri("system", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                // Not listening yet: asked again below until the deadline, which then fails the test with Orthanc's output.
            }
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                throw new TimeoutException("Orthanc did not start:\n" + process.Output);
            }
            await Task.Delay(50);
        }
        await Loopback.WaitForListenerAsync(DicomPort, TimeSpan.FromSeconds(10), process);
    }

    /// <summary>Kills Orthanc, keeping its storage: the PACS goes away in the middle of a run.</summary>
    public async Task StopAsync()
    {
        if (process is not null)
        {
            await process.KillAsync();
            await process.DisposeAsync();
            process = null;
        }
        Http?.Dispose();
    }

    /// <summary>SOP Instance UIDs of every instance Orthanc holds (one entry per stored instance).</summary>
    public async Task<List<string>> SopInstanceUidsAsync()
    {
        var ids = await Http.GetFromJsonAsync<JsonArray>(new Uri("instances", UriKind.Relative));
        var uids = new List<string>();
        foreach (var id in ids!)
        {
            var tags = await Http.GetFromJsonAsync<JsonObject>(new Uri($"instances/{id}/simplified-tags", UriKind.Relative));
            uids.Add((string)tags!["SOPInstanceUID"]!);
        }
        return uids;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (process is not null)
        {
            await process.DisposeAsync();
        }
        folder.Dispose();
    }

    /// <summary>The Orthanc ID of the instance with this SOP Instance UID, or null.</summary>
    public async Task<string?> FindInstanceAsync(string sopInstanceUid)
    {
        using var content = new StringContent(sopInstanceUid, Encoding.ASCII);
        using var response = await Http.PostAsync(new Uri("tools/lookup", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        var matches = await response.Content.ReadFromJsonAsync<JsonArray>();
        return matches?.FirstOrDefault(m => (string?)m!["Type"] == "Instance")?["ID"]?.GetValue<string>();
    }

    public async Task<byte[]> GetFileAsync(string instanceId) =>
        await Http.GetByteArrayAsync(new Uri($"instances/{instanceId}/file", UriKind.Relative));

    /// <summary>Uploads a file over REST (not DICOM) and returns its Orthanc ID.</summary>
    public async Task<string> UploadAsync(string path)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(path));
        using var response = await Http.PostAsync(new Uri("instances", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<JsonObject>();
        return result!["ID"]!.GetValue<string>();
    }

    public async Task AddModalityAsync(string name, string aeTitle, int port)
    {
        var body = new JsonObject { ["AET"] = aeTitle, ["Host"] = Loopback.Host, ["Port"] = port };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Http.PutAsync(new Uri($"modalities/{name}", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>POST /modalities/{name}/store: Orthanc's own C-STORE SCU sends the instances, synchronously.</summary>
    public async Task<HttpResponseMessage> StoreToModalityAsync(string name, IEnumerable<string> instanceIds)
    {
        var body = new JsonObject { ["Resources"] = new JsonArray([.. instanceIds.Select(id => (JsonNode)id)]), ["Synchronous"] = true };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await Http.PostAsync(new Uri($"modalities/{name}/store", UriKind.Relative), content);
    }

    public async Task<HttpResponseMessage> EchoModalityAsync(string name)
    {
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");
        return await Http.PostAsync(new Uri($"modalities/{name}/echo", UriKind.Relative), content);
    }

    public async Task DeleteAllAsync()
    {
        var patients = await Http.GetFromJsonAsync<JsonArray>(new Uri("patients", UriKind.Relative));
        foreach (var id in patients!)
        {
            using var response = await Http.DeleteAsync(new Uri($"patients/{id}", UriKind.Relative));
        }
    }

    public string Port => DicomPort.ToString(CultureInfo.InvariantCulture);

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
