using System.CommandLine;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Network;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Client;
using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Worker.Cli;

/// <summary><c>cxr-agent echo HOST PORT --aet A --aec B</c>: C-ECHO, to check that a peer answers.</summary>
internal static class EchoCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("host") { Description = "peer host name or address" };
        var port = new Argument<int>("port") { Description = "peer TCP port" };
        var network = new NetworkCliOptions();
        var command = new Command("echo", "Verify a DICOM peer with C-ECHO") { host, port };
        network.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = network.ClientOptions(result);
            try
            {
                PresentationContextProposal[] proposals = [new(1, DicomUids.Verification, TransferSyntaxes.Uncompressed)];
                await using var client = await DicomClient.ConnectAsync(result.GetValue(host)!, result.GetValue(port), proposals, options,
                    cancellationToken).ConfigureAwait(false);
                var status = await client.EchoAsync(cancellationToken).ConfigureAwait(false);
                await client.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                Console.Out.WriteLine($"C-ECHO {options.CallingAeTitle} -> {options.CalledAeTitle}: {status}");
                return status.IsSuccess ? 0 : NetworkCliOptions.Failed;
            }
            catch (DicomNetworkException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return NetworkCliOptions.Failed;
            }
        });
        return command;
    }
}
