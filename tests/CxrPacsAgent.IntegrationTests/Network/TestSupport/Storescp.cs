using System.Globalization;

namespace CxrPacsAgent.IntegrationTests.Network.TestSupport;

/// <summary>DCMTK's storescp as the PACS we send to, writing into a scratch folder.</summary>
internal sealed class Storescp : IAsyncDisposable
{
    public const string AeTitle = "STORESCP";

    private readonly PeerProcess process;
    private readonly TempFolder folder;

    private Storescp(PeerProcess process, TempFolder folder, int port)
    {
        this.process = process;
        this.folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string Output => folder.Path;

    public string Log => process.Output;

    public static async Task<Storescp> StartAsync(params string[] options)
    {
        var folder = new TempFolder("storescp");
        var port = Loopback.FreePort();
        var process = PeerProcess.Start("storescp",
            ["-aet", AeTitle, "-od", folder.Path, .. options, port.ToString(CultureInfo.InvariantCulture)]);
        await Loopback.WaitForListenerAsync(port, TimeSpan.FromSeconds(10), process);
        return new Storescp(process, folder, port);
    }

    /// <summary>Received files by SOP Instance UID.</summary>
    public Dictionary<string, string> Received() =>
        Directory.GetFiles(Output).ToDictionary(Samples.SopInstanceUid, f => f);

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        folder.Dispose();
    }
}
