using System.CommandLine;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Reports;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent report FILE</c>: prints an SR document as an indented content tree under a few header lines (SOP class,
/// flags, content date/time, series). Reads any SR; value types it does not interpret are shown by name.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "DICOM SR file" };
        var command = new Command("report", "Print a DICOM Structured Report as an indented content tree") { file };
        command.SetAction(result => CliErrors.Guard(() =>
        {
            var ds = DicomFile.Open(result.GetValue(file)!.FullName).Dataset;
            ContainerItem root;
            try
            {
                root = ContentTreeReader.Read(ds);
            }
            catch (SrContentException e)
            {
                Console.Error.WriteLine($"error: not a readable SR ({e.Error}): {e.Message}");
                return CliErrors.InvalidInput;
            }
            var output = Console.Out;
            output.WriteLine(DicomUid.GetName(ds.GetString(DicomTags.SOPClassUID) ?? ""));
            output.WriteLine($"Series: {ds.GetString(DicomTags.SeriesDescription) ?? "(no description)"}");
            output.WriteLine($"Completion: {ds.GetString(DicomTags.CompletionFlag)}, verification: {ds.GetString(DicomTags.VerificationFlag)}");
            output.WriteLine($"Content date/time: {ds.GetString(DicomTags.ContentDate)} {ds.GetString(DicomTags.ContentTime)}");
            output.WriteLine();
            output.Write(ContentTreeText.Format(root));
            return 0;
        }));
        return command;
    }
}
