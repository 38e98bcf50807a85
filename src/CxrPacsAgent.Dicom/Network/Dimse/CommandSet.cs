using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Dicom.Network.Dimse;

/// <summary>
/// Command sets (PS3.7 6.3, Annex E): group 0000 elements in Implicit VR Little Endian, whatever the presentation
/// context's transfer syntax, led by Command Group Length (0000,0000).
/// </summary>
public static class CommandSet
{
    /// <summary>Data Set Type value meaning "no data set follows" (PS3.7 E.1-1); any other value means one does.</summary>
    public const ushort NoDataSet = 0x0101;

    /// <summary>Data Set Type value we send when a data set follows.</summary>
    public const ushort DataSetPresent = 0x0000;

    /// <summary>Encodes <paramref name="command"/>, computing Command Group Length afresh.</summary>
    public static byte[] Encode(DicomDataset command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var body = new ArrayBufferWriter<byte>(256);
        var elements = new DicomDataset(command.Where(i => i.Tag != DicomTags.CommandGroupLength));
        DicomDatasetWriter.Write(body, elements, DicomTransferSyntax.ImplicitVRLittleEndian);
        var bytes = new byte[12 + body.WrittenCount];
        // (0000,0000) UL, implicit VR: tag, 32-bit length 4, value.
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)body.WrittenCount);
        body.WrittenSpan.CopyTo(bytes.AsSpan(12));
        return bytes;
    }

    /// <summary>Decodes a command set; fails for anything that is not group 0000 with a Command Field.</summary>
    public static bool TryDecode(ReadOnlySequence<byte> bytes, out DicomDataset command, out string? error)
    {
        command = null!;
        try
        {
            var dataset = DicomDatasetReader.Read(bytes, DicomTransferSyntax.ImplicitVRLittleEndian);
            if (dataset.Any(i => i.Tag.Group != 0x0000))
            {
                error = "the command set holds elements outside group 0000";
                return false;
            }
            if (!dataset.TryGetElement(DicomTags.CommandField, out var field) || field.Length != 2)
            {
                error = "the command set has no Command Field (0000,0100)";
                return false;
            }
            command = dataset;
            error = null;
            return true;
        }
        catch (Exception e) when (e is DicomFormatException or ArgumentException or InvalidOperationException or FormatException)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// Sets a UID element from a peer's or a file's value as it is: our own syntax checks must not turn a slightly
    /// malformed UID (a leading zero, say) into a failure to answer.
    /// </summary>
    public static void SetUid(DicomDataset command, DicomTag tag, string uid)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(uid);
        var bytes = Encoding.ASCII.GetBytes(uid.Length % 2 == 1 ? uid + "\0" : uid);
        command.Add(new DicomElement(tag, DicomVR.UI, bytes));
    }

    /// <summary>Sets an unsigned short element.</summary>
    public static void SetUInt16(DicomDataset command, DicomTag tag, ushort value)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.AddOrUpdate(tag, value);
    }

    /// <summary>A UID or text value, trimmed of padding; null when absent.</summary>
    public static string? GetText(DicomDataset command, DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!command.TryGetElement(tag, out var element))
        {
            return null;
        }
        return Encoding.ASCII.GetString(element.Buffer.Memory.Span).TrimEnd('\0', ' ').TrimStart(' ');
    }

    public static ushort? GetUInt16(DicomDataset command, DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.TryGetElement(tag, out var element) && element.Length >= 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(element.Buffer.Memory.Span)
            : null;
    }
}
