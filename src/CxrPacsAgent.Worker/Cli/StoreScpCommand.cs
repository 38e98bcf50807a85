using System.CommandLine;
using System.Net;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Server;
using CxrPacsAgent.Dicom.Network.Storage;
using CxrPacsAgent.Dicom.Network.Tls;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent store-scp --port N --aet A --out DIR</c>: a plain receiver that stores every instance as
/// <c>DIR/{SOP Instance UID}.dcm</c> until stopped (Ctrl+C).
/// </summary>
internal static class StoreScpCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port to listen on", Required = true };
        var aet = new Option<string>("--aet") { Description = "our AE title", DefaultValueFactory = _ => Hosting.AgentDefaults.AeTitle };
        var output = new Option<DirectoryInfo>("--out") { Description = "folder for received instances", Required = true };
        var bind = new Option<string>("--bind") { Description = "address to listen on", DefaultValueFactory = _ => "0.0.0.0" };
        var maxAssociations = new Option<int>("--max-associations")
        {
            Description = "associations at once", DefaultValueFactory = _ => new DicomServerOptions().MaxAssociations,
        };
        var maxPdu = new Option<uint>("--max-pdu") { Description = "maximum PDU length announced", DefaultValueFactory = _ => 256 * 1024 };
        var noFsync = new Option<bool>("--no-fsync") { Description = "do not fsync before answering success (faster, not durable)" };
        var anyCalled = new Option<bool>("--any-called-aet") { Description = "accept any called AE title" };
        var tlsCert = new Option<FileInfo?>("--tls-cert") { Description = "serve TLS with this certificate (PEM, with --tls-key, or PKCS#12)" };
        var tlsKey = new Option<FileInfo?>("--tls-key") { Description = "private key of --tls-cert (PEM)" };
        var tlsRequireClient = new Option<bool>("--tls-require-client-cert") { Description = "refuse TLS clients without a valid certificate" };
        var tlsClientCa = new Option<FileInfo?>("--tls-client-ca") { Description = "CA bundle (PEM) that client certificates must chain to" };
        var tlsBindAet = new Option<bool>("--tls-bind-calling-aet") { Description = "the calling AE title must be a name of the client certificate" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "log every association event" };
        var command = new Command("store-scp", "Receive DICOM instances (C-STORE SCP) into a folder")
        {
            port, aet, output, bind, maxAssociations, maxPdu, noFsync, anyCalled, tlsCert, tlsKey, tlsRequireClient, tlsClientCa, tlsBindAet,
            verbose,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var outDir = result.GetValue(output)!.FullName;
            if (!IPAddress.TryParse(result.GetValue(bind), out var address))
            {
                Console.Error.WriteLine($"error: '{result.GetValue(bind)}' is not an IP address");
                return CliErrors.InvalidInput;
            }
            var options = new DicomServerOptions
            {
                BindAddress = address,
                Port = result.GetValue(port),
                Policy = new AcceptorPolicy
                {
                    AeTitle = result.GetValue(aet)!,
                    CheckCalledAeTitle = !result.GetValue(anyCalled),
                    AcceptAnyStorageSopClass = true,
                    PreferProposerOrder = true,
                },
                UpperLayer = Dicom.Network.UpperLayer.UpperLayerOptions.Default with { MaxReceivePduLength = result.GetValue(maxPdu) },
                MaxAssociations = result.GetValue(maxAssociations),
                Storage = new StorageOptions { OutputDirectory = outDir, FlushToDisk = !result.GetValue(noFsync) },
                Tls = NetworkCliOptions.ServerTls(result.GetValue(tlsCert), result.GetValue(tlsKey), result.GetValue(tlsRequireClient))
                    is { } tls
                    ? tls with
                    {
                        ClientCertificateAuthorities = result.GetValue(tlsClientCa) is { } ca ? CertificateAuthorities.LoadPem(ca.FullName) : null,
                        BindClientCertificateToCallingAe = result.GetValue(tlsBindAet),
                    }
                    : null,
                Log = NetworkCliOptions.ConsoleLog(result.GetValue(verbose)),
            };
            await using var server = new DicomServer(options);
            try
            {
                await server.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                Console.Error.WriteLine($"error: cannot listen on port {options.Port}: {e.Message}");
                return NetworkCliOptions.Failed;
            }
            // SIGTERM (systemd, docker, kill) and SIGINT stop the receiver cleanly instead of killing it mid-store.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            void Stop(System.Runtime.InteropServices.PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }
            using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
            using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: stop cleanly.
            }
            await server.StopAsync().ConfigureAwait(false);
            Console.Error.WriteLine($"{server.Statistics.InstancesStored} instances stored, {server.Statistics.StoresFailed} refused");
            return 0;
        });
        return command;
    }
}
