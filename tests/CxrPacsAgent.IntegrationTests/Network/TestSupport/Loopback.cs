using System.Net;
using System.Net.Sockets;

namespace CxrPacsAgent.IntegrationTests.Network.TestSupport;

/// <summary>
/// Ports and waits on 127.0.0.1, the only address network tests listen on. A second peer address on the same loopback
/// (127.0.0.0/8 is all loopback on Linux) lets a test call from "another host" for per-address limits.
/// </summary>
internal static class Loopback
{
    public const string Host = "127.0.0.1";

    /// <summary>A calling address other than <see cref="Host"/>, still on loopback.</summary>
    public static readonly IPAddress Other = IPAddress.Parse("127.0.0.2");

    /// <summary>A port free right now (taken from the kernel's ephemeral range, so clashes are unlikely).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitForListenerAsync(int port, TimeSpan timeout, PeerProcess? process = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && process is not { HasExited: true })
            {
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                throw new TimeoutException($"nothing listens on port {port}: {e.Message}\n{process?.Output}");
            }
        }
    }
}
