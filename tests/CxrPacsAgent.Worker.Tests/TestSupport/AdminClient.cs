using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CxrPacsAgent.Worker.Tests.TestSupport;

/// <summary>
/// The admin API as the page uses it: a cookie jar, the antiforgery token in the X-CSRF-TOKEN header of every POST,
/// and no automatic redirects (so a 302 to the sign-in page is seen as such).
/// </summary>
internal sealed class AdminClient : IDisposable
{
    public const string User = "admin";
    public const string Password = "correct horse battery staple";

    /// <summary>The hash of <see cref="Password"/>, made once: hashing is slow on purpose.</summary>
    public static string PasswordHash { get; } = CxrPacsAgent.Worker.Admin.AdminPassword.Hash(Password);

    private readonly SocketsHttpHandler handler = new() { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };

    /// <param name="from">
    /// The loopback address to connect from (127.0.0.2, …): the agent then sees another client, as the per-address
    /// sign-in lockout counts them. Null: the system's choice (127.0.0.1).
    /// </param>
    public AdminClient(Uri baseAddress, IPAddress? from = null)
    {
        if (from is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        Http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public CookieCollection Cookies => handler.CookieContainer.GetAllCookies();

    public string? Token { get; private set; }

    /// <summary>Fetches a token for the current session (a new one is needed after signing in).</summary>
    public async Task<string> RefreshTokenAsync()
    {
        var body = await Http.GetFromJsonAsync<JsonObject>(new Uri("/admin/antiforgery", UriKind.Relative));
        return Token = (string)body!["token"]!;
    }

    public async Task<HttpResponseMessage> SignInAsync(string user = User, string password = Password)
    {
        await RefreshTokenAsync();
        var response = await PostAsync("/admin/login", new JsonObject { ["user"] = user, ["password"] = password });
        if (response.IsSuccessStatusCode)
        {
            await RefreshTokenAsync();
        }
        return response;
    }

    public async Task<HttpResponseMessage> PostAsync(string path, JsonNode body, bool withToken = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        if (withToken && Token is not null)
        {
            request.Headers.Add("X-CSRF-TOKEN", Token);
        }
        return await Http.SendAsync(request);
    }

    public async Task<JsonNode> GetJsonAsync(string path) => (await Http.GetFromJsonAsync<JsonNode>(new Uri(path, UriKind.Relative)))!;

    public void Dispose()
    {
        Http.Dispose();
        handler.Dispose();
    }
}
