using System.CommandLine;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Worker.Cli;

/// <summary><c>cxr-agent convert IN OUT --transfer-syntax UID</c>: re-encodes a file in another transfer syntax.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("in") { Description = "DICOM file to read" };
        var output = new Argument<FileInfo>("out") { Description = "DICOM file to write (replaced atomically)" };
        var syntax = new Option<string>("--transfer-syntax", "-t")
        {
            Description = "transfer syntax UID to write, e.g. 1.2.840.10008.1.2.1 (Explicit VR Little Endian)",
            DefaultValueFactory = _ => DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        };
        var command = new Command("convert", "Write a DICOM file in another transfer syntax") { input, output, syntax };
        command.SetAction(result => CliErrors.Guard(() =>
        {
            var target = DicomTransferSyntax.Lookup(result.GetValue(syntax)!);
            var file = DicomFile.Open(result.GetValue(input)!.FullName);
            if (!target.IsWritable || (file.TransferSyntax.IsEncapsulated != target.IsEncapsulated
                && file.Dataset.Contains(Dicom.Data.DicomTags.PixelData)))
            {
                Console.Error.WriteLine($"error: cannot convert pixel data from {file.TransferSyntax.Name} to {target.Name}.");
                return 3;
            }
            file.Save(result.GetValue(output)!.FullName, target);
            return 0;
        }));
        return command;
    }
}
