using System.CommandLine;
using System.Text.Json;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Json;

namespace CxrPacsAgent.Worker.Cli;

/// <summary><c>cxr-agent dump FILE [--json]</c>: lists a DICOM file's elements, or prints it in the DICOM JSON model.</summary>
internal static class DumpCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "DICOM file (Part 10, or a bare data set)" };
        var json = new Option<bool>("--json") { Description = "print the DICOM JSON model (PS3.18 F.2) instead of a listing" };
        var command = new Command("dump", "Show the contents of a DICOM file") { file, json };
        command.SetAction(result => CliErrors.Guard(() =>
        {
            var dicom = DicomFile.Open(result.GetValue(file)!.FullName);
            var output = Console.Out;
            if (result.GetValue(json))
            {
                using var writer = new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Indented = true });
                DicomJsonWriter.Write(writer, dicom.Dataset);
                writer.Flush();
                output.WriteLine();
                return 0;
            }
            output.WriteLine($"# File meta information (preamble: {(dicom.HasPreamble ? "yes" : "no")})");
            DicomDumpWriter.Write(output, dicom.FileMetaInformation);
            output.WriteLine($"# Data set ({dicom.TransferSyntax})");
            DicomDumpWriter.Write(output, dicom.Dataset);
            return 0;
        }));
        return command;
    }
}
