using System.CommandLine;
using CxrPacsAgent.Dicom.Network;
using CxrPacsAgent.Dicom.Network.Client;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// The options echo and send share (AE titles, limits, TLS) and the console log of the network verbs.
/// </summary>
internal sealed class NetworkCliOptions
{
    /// <summary>Exit code for a peer that refused, failed or could not be reached.</summary>
    public const int Failed = 1;

    private readonly Option<string> aet = new("--aet") { Description = "our (calling) AE title", DefaultValueFactory = _ => Hosting.AgentDefaults.AeTitle };
    private readonly Option<string> aec = new("--aec") { Description = "the peer's (called) AE title", DefaultValueFactory = _ => "ANY-SCP" };
    private readonly Option<uint> maxPdu = new("--max-pdu") { Description = "maximum PDU length announced", DefaultValueFactory = _ => 256 * 1024 };
    private readonly Option<int> timeout = new("--timeout") { Description = "seconds to wait for the peer", DefaultValueFactory = _ => 60 };
    private readonly Option<bool> tls = new("--tls") { Description = "use TLS, checking the server certificate against the trust store" };
    private readonly Option<bool> tlsInsecure = new("--tls-no-verify") { Description = "use TLS without checking the server certificate" };
    private readonly Option<bool> verbose = new("--verbose", "-v") { Description = "log association events" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { aet, aec, maxPdu, timeout, tls, tlsInsecure, verbose })
        {
            command.Options.Add(option);
        }
    }

    public DicomClientOptions ClientOptions(ParseResult result)
    {
        var seconds = TimeSpan.FromSeconds(Math.Max(1, result.GetValue(timeout)));
        var useTls = result.GetValue(tls) || result.GetValue(tlsInsecure);
        return new DicomClientOptions
        {
            CallingAeTitle = result.GetValue(aet)!,
            CalledAeTitle = result.GetValue(aec)!,
            UpperLayer = Dicom.Network.UpperLayer.UpperLayerOptions.Default with { MaxReceivePduLength = result.GetValue(maxPdu) },
            ConnectTimeout = seconds,
            AcseTimeout = seconds,
            DimseTimeout = seconds,
            Tls = !useTls ? null : new ClientTlsOptions
            {
                ServerCertificateValidation = result.GetValue(tlsInsecure) ? (_, _, _, _) => true : null,
            },
            Log = ConsoleLog(result.GetValue(verbose)),
        };
    }

    /// <summary>Log lines on standard error; debug only when asked. The network layer logs no patient data.</summary>
    public static NetworkLog ConsoleLog(bool verbose) => (level, message) =>
    {
        if (level > NetworkLogLevel.Debug || verbose)
        {
            Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {level.ToString().ToUpperInvariant()[..4]} {message}");
        }
    };

    public static Dicom.Network.Server.ServerTlsOptions? ServerTls(FileInfo? certificate, FileInfo? key, bool requireClient)
    {
        if (certificate is null)
        {
            return null;
        }
        var cert = key is not null
            ? System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(certificate.FullName, key.FullName)
            : System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(certificate.FullName, null);
        return new Dicom.Network.Server.ServerTlsOptions { ServerCertificate = cert, RequireClientCertificate = requireClient };
    }
}
