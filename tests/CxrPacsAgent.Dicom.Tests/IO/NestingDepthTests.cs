using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.IO;

/// <summary>Sequences nested 10,000 deep: a typed error at the level past the limit, never a stack overflow.</summary>
public class NestingDepthTests
{
    private const int Levels = 10_000;

    /// <summary>Nested undefined-length sequences; returns the bytes and the offset of each sequence's header.</summary>
    private static (byte[] Bytes, int[] Offsets) Nested(Func<ByteBuilder, ByteBuilder> openSequence)
    {
        var data = new ByteBuilder();
        var offsets = new int[Levels];
        for (var i = 0; i < Levels; i++)
        {
            offsets[i] = data.Length;
            openSequence(data).Item();
        }
        for (var i = 0; i < Levels; i++)
        {
            data.ItemEnd().SequenceEnd();
        }
        return (data.ToArray(), offsets);
    }

    [Fact]
    public void Explicit_SQ_nesting_stops_at_MaxDepth()
    {
        var (bytes, offsets) = Nested(b => b.Explicit(DicomTags.ContentSequence, "SQ", 0xFFFFFFFF));
        var e = Assert.Throws<DicomFormatException>(() => DicomDatasetReader.Read(bytes, DicomTransferSyntax.ExplicitVRLittleEndian));
        var limit = DicomReadOptions.Default.MaxDepth;
        Assert.Equal((DicomTags.ContentSequence, (long)offsets[limit]), (e.Tag, e.Offset));
        Assert.Equal($"sequences nested deeper than {limit} levels", e.Problem);
    }

    [Fact]
    public void Implicit_UN_nesting_of_CP_246_stops_at_MaxDepth_too()
    {
        // Undefined-length UN of unknown private tags: each level is read as an implicit VR sequence.
        var tag = new DicomTag(0x0009, 0x0001);
        var (bytes, offsets) = Nested(b => b.Implicit(tag, 0xFFFFFFFF));
        var e = Assert.Throws<DicomFormatException>(() => DicomDatasetReader.Read(bytes, DicomTransferSyntax.ImplicitVRLittleEndian));
        Assert.Equal((tag, (long)offsets[DicomReadOptions.Default.MaxDepth]), (e.Tag, e.Offset));
    }

    [Fact]
    public void A_lower_MaxDepth_is_honoured_and_nesting_within_it_reads()
    {
        var (bytes, offsets) = Nested(b => b.Explicit(DicomTags.ContentSequence, "SQ", 0xFFFFFFFF));
        var options = new DicomReadOptions { MaxDepth = 3 };
        var e = Assert.Throws<DicomFormatException>(() => DicomDatasetReader.Read(bytes, DicomTransferSyntax.ExplicitVRLittleEndian, options));
        Assert.Equal((60L, 60), (e.Offset, offsets[3])); // the fourth level: three of 12-byte SQ plus 8-byte item headers
        var shallow = new ByteBuilder().Explicit(DicomTags.ContentSequence, "SQ", 0xFFFFFFFF).Item()
            .Explicit(DicomTags.ContentSequence, "SQ", 0xFFFFFFFF).Item().ItemEnd().SequenceEnd().ItemEnd().SequenceEnd();
        var dataset = DicomDatasetReader.Read(shallow.ToArray(), DicomTransferSyntax.ExplicitVRLittleEndian, options);
        Assert.Single(dataset.GetSequence(DicomTags.ContentSequence)!.Items[0].GetSequence(DicomTags.ContentSequence)!.Items);
    }
}
