using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Fuzz.Reader;

/// <summary>
/// AFL target: each input is a file given to <see cref="DicomFile.Read"/>, then every value is decoded as the worker
/// would. A <see cref="DicomFormatException"/> is the expected answer to bad input; any other exception, a hang or
/// a crash is a finding. With a path argument it runs that one input without AFL (to replay a finding).
/// </summary>
public static class Program
{
    public static void Main(string[] args) => FuzzHarness.Run(args.Length == 1 ? args[0] : null, input =>
    {
        var file = DicomFile.Read(input);
        Touch(file.FileMetaInformation);
        Touch(file.Dataset);
    }, e => e is DicomFormatException);

    // Decodes what a reader of the file would: text through the character set, tags, private creators, offset
    // tables, items.
    private static void Touch(DicomDataset dataset)
    {
        _ = dataset.CharacterSet;
        foreach (var item in dataset)
        {
            if (item.Tag.IsPrivate)
            {
                _ = dataset.GetPrivateCreator(item.Tag);
            }
            switch (item)
            {
                case DicomSequence sequence:
                    foreach (var nested in sequence.Items)
                    {
                        Touch(nested);
                    }
                    break;
                case DicomFragmentSequence fragments:
                    _ = fragments.GetOffsets();
                    break;
                case DicomElement element when element.VR.IsText:
                    _ = dataset.GetStrings(element.Tag);
                    break;
                case DicomElement element when element.VR == DicomVR.AT:
                    _ = dataset.GetTags(element.Tag);
                    break;
                case DicomElement element:
                    _ = element.Buffer.Memory.Length;
                    break;
            }
        }
    }
}
