using System.Text.Json.Nodes;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;
using CxrPacsAgent.IntegrationTests.Service.TestSupport;
using CxrPacsAgent.Worker.Tests.TestSupport;

namespace CxrPacsAgent.IntegrationTests.Admin.TestSupport;

/// <summary>
/// What the admin page tests share: a real Orthanc as the PACS, `cxr-agent serve` as a process sending to it (with
/// Outbox:MaxAge of a few seconds, so an outage makes dead letters quickly), and a signed-in headless chromium.
/// Screenshots go to $CXR_ADMIN_SCREENSHOTS when set (docs/images), else to the test's temp folder.
/// </summary>
public sealed class AdminPageFixture : IAsyncLifetime
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(4);

    /// <summary>Failed sign-ins that lock a name or address out; the lockout lasts seconds, so the other tests' sign-ins never meet it.</summary>
    public const int LockoutFailures = 3;

    private readonly TempFolder temp = new("admin-page");

    internal Orthanc Orthanc { get; } = new();

    internal AgentProcess Agent { get; private set; } = null!;

    internal Browser Browser { get; private set; } = null!;

    internal AdminClient Api { get; private set; } = null!;

    public string Screenshots { get; private set; } = null!;

    internal string Input => temp.Sub("in");

    public async Task InitializeAsync()
    {
        Screenshots = Environment.GetEnvironmentVariable("CXR_ADMIN_SCREENSHOTS") is { Length: > 0 } folder
            ? Path.GetFullPath(folder)
            : temp.Sub("screenshots");
        await Orthanc.InitializeAsync();
        Agent = new AgentProcess(temp.Sub("agent"), new JsonObject
        {
            ["Destinations"] = new JsonArray(new JsonObject
            {
                ["Name"] = "orthanc", ["AeTitle"] = Orthanc.AeTitle, ["Host"] = Loopback.Host, ["Port"] = Orthanc.DicomPort,
            }),
            ["Outbox"] = new JsonObject
            {
                ["FirstRetryDelay"] = "00:00:01", ["MaxRetryDelay"] = "00:00:01", ["PollInterval"] = "00:00:01", ["ConnectTimeout"] = "00:00:02",
                ["MaxAge"] = MaxAge.ToString(),
            },
            ["Admin"] = new JsonObject
            {
                ["PasswordHash"] = AdminClient.PasswordHash, ["LockoutFailures"] = LockoutFailures, ["LockoutDuration"] = "00:00:20",
            },
        });
        await Agent.StartAsync();
        Api = new AdminClient(Agent.Http.BaseAddress!);
        using (var signIn = await Api.SignInAsync())
        {
            signIn.EnsureSuccessStatusCode();
        }
        Browser = new Browser(Agent.Http.BaseAddress!);
        Browser.Open("/admin/login");
        Browser.WaitFor(() => Browser.Driver.Title.StartsWith("Sign in", StringComparison.Ordinal), "the sign-in page");
        Browser.Screenshot(Path.Combine(Screenshots, "admin-sign-in.png"));
        Browser.SignIn(AdminClient.User, AdminClient.Password);
    }

    public async Task DisposeAsync()
    {
        Browser?.Dispose();
        Api?.Dispose();
        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }
        await Orthanc.DisposeAsync();
        temp.Dispose();
    }
}
