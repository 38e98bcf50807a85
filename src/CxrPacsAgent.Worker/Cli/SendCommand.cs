using System.CommandLine;
using CxrPacsAgent.Dicom.Network.Client;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent send HOST PORT FILE|DIR... --aet A --aec B</c>: C-STORE of files (folders recursively), many per
/// association, with one status line per file.
/// </summary>
internal static class SendCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("host") { Description = "peer host name or address" };
        var port = new Argument<int>("port") { Description = "peer TCP port" };
        var inputs = new Argument<string[]>("inputs") { Description = "DICOM files or folders", Arity = ArgumentArity.OneOrMore };
        var network = new NetworkCliOptions();
        var command = new Command("send", "Send DICOM files to a peer with C-STORE") { host, port, inputs };
        network.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var paths = new List<string>();
            var scanned = new HashSet<string>(StringComparer.Ordinal);
            foreach (var input in result.GetValue(inputs)!)
            {
                if (Directory.Exists(input))
                {
                    var found = Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
                    paths.AddRange(found);
                    scanned.UnionWith(found);
                }
                else if (File.Exists(input))
                {
                    paths.Add(input);
                }
                else
                {
                    Console.Error.WriteLine($"error: '{input}' does not exist");
                    return CliErrors.InvalidInput;
                }
            }
            var options = network.ClientOptions(result);
            // Files found by scanning a folder that are not DICOM are skipped (a README next to the images is no error);
            // a file named on the command line must be sent.
            bool Skipped(StoreResult r) => r.NotDicom && scanned.Contains(r.Path);
            var results = await StoreScu.SendAsync(result.GetValue(host)!, result.GetValue(port), paths, options,
                r => Console.Out.WriteLine(Skipped(r) ? $"{Path.GetFileName(r.Path)}: skipped, not DICOM" : r.ToString()),
                cancellationToken).ConfigureAwait(false);
            var sent = results.Where(r => !Skipped(r)).ToList();
            var failed = sent.Count(r => !r.Succeeded);
            Console.Error.WriteLine($"{sent.Count - failed} of {sent.Count} files stored");
            return failed == 0 && sent.Count > 0 ? 0 : NetworkCliOptions.Failed;
        });
        return command;
    }
}
