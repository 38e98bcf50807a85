using System.Buffers;
using System.Buffers.Binary;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Network.Dimse;

public class DimseMessageTests
{
    [Fact]
    public void Command_sets_start_with_a_group_length_that_counts_the_rest()
    {
        var bytes = CommandSet.Encode(new CStoreRequest(5, DicomUids.DigitalXRayImageStorageForPresentation, "1.2.3.4.5").ToCommand());
        // (0000,0000) UL in implicit VR: tag, length 4, value.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 4, 0, 0, 0 }, bytes[..8]);
        Assert.Equal((uint)(bytes.Length - 12), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.True(CommandSet.TryDecode(new ReadOnlySequence<byte>(bytes), out var command, out _));
        Assert.Equal((uint)(bytes.Length - 12), command.GetUInt32(DicomTags.CommandGroupLength));
        var rq = CStoreRequest.FromCommand(command);
        Assert.Equal((ushort)5, rq.MessageId);
        Assert.Equal("1.2.3.4.5", rq.AffectedSopInstanceUid);
        Assert.Equal(DimsePriority.Medium, rq.Priority);
        Assert.Equal((CommandField.CStoreRequest, true), DimseMessage.ReadHeader(command));
    }

    [Fact]
    public void Captured_dcmtk_command_is_reencoded_identically()
    {
        var pdv = ((Dicom.Network.Pdus.PDataTransfer)PduBytes.Read(PduFixtures.EchoscuEchoRequest)).Values[0];
        Assert.True(CommandSet.TryDecode(pdv.Data, out var command, out _));
        Assert.Equal(pdv.Data.ToArray(), CommandSet.Encode(command));
        Assert.Equal(pdv.Data.ToArray(), CommandSet.Encode(new CEchoRequest(1).ToCommand()));
    }

    [Fact]
    public void Responses_carry_status_and_a_clean_error_comment()
    {
        var rsp = new CStoreResponse(9, DicomUids.ComputedRadiographyImageStorage, "1.2.3", DimseStatus.CannotUnderstand)
        {
            ErrorComment = "line one\nline two \\ with a backslash and far more than sixty-four characters in it",
        };
        Assert.True(CommandSet.TryDecode(new ReadOnlySequence<byte>(CommandSet.Encode(rsp.ToCommand())), out var command, out _));
        var back = CStoreResponse.FromCommand(command);
        Assert.Equal(DimseStatus.CannotUnderstand, back.Status);
        Assert.Equal((ushort)9, back.MessageIdBeingRespondedTo);
        Assert.True(back.ErrorComment!.Length <= 64);
        Assert.DoesNotContain('\n', back.ErrorComment);
        Assert.DoesNotContain('\\', back.ErrorComment);
        Assert.Equal((CommandField.CStoreResponse, false), DimseMessage.ReadHeader(command));
    }

    [Fact]
    public void Peer_uids_are_kept_as_given_even_when_malformed()
    {
        // A leading zero breaks PS3.5 9.1, yet a response must still name the instance the request did.
        var rsp = new CStoreResponse(1, "1.2.840.10008.5.1.4.1.1.1", "1.2.03.4", DimseStatus.Success);
        Assert.True(CommandSet.TryDecode(new ReadOnlySequence<byte>(CommandSet.Encode(rsp.ToCommand())), out var command, out _));
        Assert.Equal("1.2.03.4", CommandSet.GetText(command, DicomTags.AffectedSOPInstanceUID));
    }

    [Fact]
    public void Non_command_bytes_are_not_a_command_set()
    {
        var dataset = new DicomDataset().AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "X");
        var bytes = new System.Buffers.ArrayBufferWriter<byte>();
        Dicom.IO.DicomDatasetWriter.Write(bytes, dataset, Dicom.IO.DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.False(CommandSet.TryDecode(new ReadOnlySequence<byte>(bytes.WrittenMemory), out _, out var error));
        Assert.Contains("group 0000", error, StringComparison.Ordinal);
        Assert.False(CommandSet.TryDecode(new ReadOnlySequence<byte>(new byte[] { 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0 }), out _, out error));
        Assert.Contains("Command Field", error, StringComparison.Ordinal);
        Assert.False(CommandSet.TryDecode(new ReadOnlySequence<byte>(new byte[] { 0, 0, 0x10, 0x01, 0xFF, 0xFF, 0xFF, 0x7F }), out _, out _));
    }

    [Fact]
    public void Fragments_of_one_command_are_joined_and_bounded()
    {
        var bytes = CommandSet.Encode(new CEchoRequest(3).ToCommand());
        var assembler = new CommandAssembler();
        Assert.Equal(CommandAssemblyStatus.NeedMore, assembler.Add(new(1, true, false, new ReadOnlySequence<byte>(bytes, 0, 10))));
        Assert.True(assembler.InProgress);
        Assert.Equal(CommandAssemblyStatus.ContextChanged, assembler.Add(new(3, true, true, new ReadOnlySequence<byte>(bytes, 10, bytes.Length - 10))));
        Assert.Equal(CommandAssemblyStatus.Complete, assembler.Add(new(1, true, true, new ReadOnlySequence<byte>(bytes, 10, bytes.Length - 10))));
        Assert.Equal(bytes, assembler.Command.ToArray());
        assembler.Reset();
        Assert.False(assembler.InProgress);
        var small = new CommandAssembler(maxLength: 16);
        Assert.Equal(CommandAssemblyStatus.TooLong, small.Add(new(1, true, true, new ReadOnlySequence<byte>(bytes))));
    }

    [Theory]
    [InlineData(0x0000, DimseStatusCategory.Success)]
    [InlineData(0xB000, DimseStatusCategory.Warning)]
    [InlineData(0xB006, DimseStatusCategory.Warning)]
    [InlineData(0xB007, DimseStatusCategory.Warning)]
    [InlineData(0x0001, DimseStatusCategory.Warning)]
    [InlineData(0xA700, DimseStatusCategory.Failure)]
    [InlineData(0xA7FF, DimseStatusCategory.Failure)]
    [InlineData(0xA900, DimseStatusCategory.Failure)]
    [InlineData(0xC000, DimseStatusCategory.Failure)]
    [InlineData(0xCFFF, DimseStatusCategory.Failure)]
    [InlineData(0x0122, DimseStatusCategory.Failure)]
    [InlineData(0x0211, DimseStatusCategory.Failure)]
    [InlineData(0xFE00, DimseStatusCategory.Cancel)]
    [InlineData(0xFF00, DimseStatusCategory.Pending)]
    public void Status_categories_follow_PS3_7_C(int code, DimseStatusCategory category) =>
        Assert.Equal(category, new DimseStatus((ushort)code).Category);

    [Fact]
    public void Responses_have_bit_15_set() =>
        Assert.All(Enum.GetValues<CommandField>().Where(f => f != CommandField.CCancelRequest && !f.IsResponse()),
            request => Assert.True(Enum.IsDefined(request.ResponseOf())));
}
