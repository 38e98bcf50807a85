using System.Buffers;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.IO;

/// <summary>
/// Parses an encoded data set (PS3.5 7) from bytes in memory. Sockets and files are not its concern: callers hand it
/// a span or sequence, and it returns the data set or throws <see cref="DicomFormatException"/> with tag and offset.
/// </summary>
public static class DicomDatasetReader
{
    /// <summary>Reads a whole data set; a multi-segment sequence is first made contiguous.</summary>
    public static DicomDataset Read(ReadOnlySequence<byte> data, DicomTransferSyntax syntax, DicomReadOptions? options = null) =>
        data.IsSingleSegment ? Read(data.FirstSpan, syntax, options) : Read(data.ToArray(), syntax, options);

    public static DicomDataset Read(ReadOnlySpan<byte> data, DicomTransferSyntax syntax, DicomReadOptions? options = null) =>
        Read(data, syntax, options ?? DicomReadOptions.Default, baseOffset: 0, sourcePath: null, out _, inferEndianness: false);

    /// <summary>
    /// The engine behind every reader. <paramref name="baseOffset"/> is where <paramref name="data"/> starts in its file
    /// (for error offsets and deferred values); <paramref name="sourcePath"/>, when given, lets large values stay on disk.
    /// <paramref name="inferEndianness"/> is for data whose syntax nobody stated (a file without meta group).
    /// </summary>
    internal static DicomDataset Read(ReadOnlySpan<byte> data, DicomTransferSyntax syntax, DicomReadOptions options,
        long baseOffset, string? sourcePath, out int consumed, bool inferEndianness)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        var parser = new DatasetParser(data, syntax.IsExplicitVR, syntax.IsLittleEndian, options, baseOffset, sourcePath);
        parser.DetectEncoding(inferEndianness);
        var dataset = new DicomDataset();
        parser.ReadElements(dataset, data.Length, untilDelimiter: false, topLevel: true);
        consumed = parser.Position;
        return dataset;
    }

    /// <summary>Reads elements while their group is <paramref name="group"/>, e.g. the File Meta Information (group 2).</summary>
    internal static DicomDataset ReadGroup(ReadOnlySpan<byte> data, ushort group, DicomReadOptions options, long baseOffset,
        out int consumed)
    {
        var parser = new DatasetParser(data, explicitVR: true, littleEndian: true, options, baseOffset, sourcePath: null);
        var dataset = new DicomDataset();
        parser.ReadGroup(dataset, group);
        consumed = parser.Position;
        return dataset;
    }
}
