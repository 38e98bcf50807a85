using System.CommandLine;
using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent convert IN OUT --transfer-syntax UID</c>: re-encodes a file in another transfer syntax, decompressing
/// any pixel data we can decode and RLE-encoding it when 1.2.840.10008.1.2.5 is asked for.
/// </summary>
internal static class ConvertCommand
{
    private const int CannotDo = 3;

    public static Command Create()
    {
        var input = new Argument<FileInfo>("in") { Description = "DICOM file to read" };
        var output = new Argument<FileInfo>("out") { Description = "DICOM file to write (replaced atomically)" };
        var syntax = new Option<string>("--transfer-syntax", "-t")
        {
            Description = "transfer syntax UID to write, e.g. 1.2.840.10008.1.2.1 (Explicit VR Little Endian) or 1.2.840.10008.1.2.5 (RLE Lossless)",
            DefaultValueFactory = _ => DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        };
        var command = new Command("convert", "Write a DICOM file in another transfer syntax") { input, output, syntax };
        command.SetAction(result => CliErrors.Guard(() =>
        {
            var target = DicomTransferSyntax.Lookup(result.GetValue(syntax)!);
            var file = DicomFile.Open(result.GetValue(input)!.FullName);
            var dataset = file.Dataset;
            if (dataset.Contains(Dicom.Data.DicomTags.PixelData) && (file.TransferSyntax.IsEncapsulated || target.IsEncapsulated)
                && file.TransferSyntax.Uid != target.Uid)
            {
                if (!target.IsWritable || !DicomPixelTranscoder.CanTranscode(file.TransferSyntax, target))
                {
                    Console.Error.WriteLine($"error: cannot convert pixel data from {file.TransferSyntax.Name} to {target.Name}."
                        + (DicomCodecRegistry.WhyCannotDecode(file.TransferSyntax) is { Length: > 0 } why ? " " + why : ""));
                    return CannotDo;
                }
                try
                {
                    dataset = DicomPixelTranscoder.Transcode(dataset, file.TransferSyntax, target);
                }
                catch (Exception e) when (e is DicomPixelDataException or DicomCodecException)
                {
                    Console.Error.WriteLine($"error: the pixel data cannot be decoded: {e.Message}");
                    return CliErrors.InvalidInput;
                }
            }
            else if (!target.IsWritable)
            {
                Console.Error.WriteLine($"error: cannot write {target.Name}.");
                return CannotDo;
            }
            // Durable when it returns: the file and its folder entry are fsync'd (a converted file may replace its source).
            new DicomFile(file.FileMetaInformation, dataset).Save(result.GetValue(output)!.FullName, target, flushToDisk: true);
            return 0;
        }));
        return command;
    }
}
