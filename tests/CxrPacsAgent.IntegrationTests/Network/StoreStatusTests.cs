using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg2000;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Network.Client;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Storage;
using CxrPacsAgent.Dicom.Network.UpperLayer;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;

namespace CxrPacsAgent.IntegrationTests.Network;

/// <summary>Every C-STORE status our SCP answers (PS3.4 B.2.3, PS3.7 C), each provoked for real.</summary>
public class StoreStatusTests
{
    private static readonly string Ele = DicomTransferSyntax.ExplicitVRLittleEndian.Uid;

    private static DicomClientOptions ClientOptions => new()
    {
        CallingAeTitle = "STATUSSCU",
        CalledAeTitle = TestServer.AeTitle,
        AcseTimeout = TimeSpan.FromSeconds(5),
        DimseTimeout = TimeSpan.FromSeconds(10),
    };

    private static byte[] DatasetOf(string path) => Samples.DatasetBytes(path);

    private static bool IsJpeg2000(string syntax) =>
        syntax == DicomTransferSyntax.Jpeg2000Lossless.Uid || syntax == DicomTransferSyntax.Jpeg2000.Uid;

    private static async Task<CStoreResponse> RawStoreAsync(TestServer scp, string abstractSyntax, CStoreRequest command, byte[] dataset)
    {
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.AssociateAsync(RawPeer.Storage(abstractSyntax, Ele));
        await peer.SendCommandAsync(1, command);
        await peer.SendDatasetAsync(1, dataset);
        return CStoreResponse.FromCommand(await peer.ReadCommandAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Data_sets_sent_in_their_own_syntax_are_stored_byte_for_byte()
    {
        await using var scp = await TestServer.StartAsync();
        var files = Samples.All.Where(f => Samples.DatasetBytes(f).Length % 2 == 0).ToList();
        var results = await StoreScu.SendAsync(Loopback.Host, scp.Port, files, ClientOptions);
        // JPEG 2000 is accepted exactly when it can be decoded (OpenJPEG is there): without a decoder the context is
        // refused, and our SCU cannot decompress it to offer another syntax.
        var jpeg2000 = results.Where(r => IsJpeg2000(Samples.TransferSyntaxOf(r.Path))).ToList();
        Assert.Equal(2, jpeg2000.Count);
        Assert.All(jpeg2000, r => Assert.True(r.Succeeded == OpenJpeg.IsAvailable, r.ToString()));
        results = [.. results.Where(r => r.Succeeded || !IsJpeg2000(Samples.TransferSyntaxOf(r.Path)))];
        Assert.All(results, r => Assert.True(r.Succeeded && !r.Transcoded, r.ToString()));
        foreach (var result in results.GroupBy(r => r.SopInstanceUid).Where(g => g.Count() == 1).Select(g => g.Single()))
        {
            var stored = Path.Combine(scp.Output, FileStoreHandler.FileNameFor(result.SopInstanceUid!));
            Assert.Equal(Samples.DatasetBytes(result.Path), Samples.DatasetBytes(stored));
            Assert.Equal(Samples.TransferSyntaxOf(result.Path), Samples.TransferSyntaxOf(stored));
        }
    }

    [Fact]
    public async Task Command_sop_class_other_than_the_context_is_0122()
    {
        using var temp = new TempFolder("0122");
        var file = Samples.Dx16(temp.Path, 32, 32);
        await using var scp = await TestServer.StartAsync();
        var response = await RawStoreAsync(scp, DicomUids.ComputedRadiographyImageStorage,
            new CStoreRequest(7, DicomUids.DigitalXRayImageStorageForPresentation, Samples.SopInstanceUid(file)), DatasetOf(file));
        Assert.Equal(DimseStatus.SopClassNotSupported, response.Status);
        Assert.Equal(7, response.MessageIdBeingRespondedTo);
        Assert.Empty(scp.StoredFiles);
        Assert.Empty(scp.TempFiles);
    }

    [Fact]
    public async Task Too_little_free_disk_is_A700_before_any_data_is_written()
    {
        using var temp = new TempFolder("a700");
        var file = Samples.Dx16(temp.Path, 32, 32);
        await using var scp = await TestServer.StartAsync(o => o with { Storage = o.Storage! with { MinimumFreeDiskSpace = long.MaxValue } });
        var results = await StoreScu.SendAsync(Loopback.Host, scp.Port, [file, file], ClientOptions);
        Assert.All(results, r => Assert.Equal(DimseStatus.OutOfResources, r.Status));
        Assert.Equal(1, scp.Statistics.AssociationsAccepted);
        Assert.Empty(scp.StoredFiles);
        Assert.Empty(scp.TempFiles);
    }

    [Fact]
    public async Task Data_set_of_another_sop_class_is_A900_or_with_lenience_B007()
    {
        using var temp = new TempFolder("a900");
        var file = Samples.Dx16(temp.Path, 32, 32);
        var uid = Samples.SopInstanceUid(file);
        var command = new CStoreRequest(1, DicomUids.ComputedRadiographyImageStorage, uid);
        await using (var strict = await TestServer.StartAsync())
        {
            var response = await RawStoreAsync(strict, DicomUids.ComputedRadiographyImageStorage, command, DatasetOf(file));
            Assert.Equal(DimseStatus.DataSetDoesNotMatchSopClass, response.Status);
            Assert.Contains("SOP Class", response.ErrorComment, StringComparison.Ordinal);
            Assert.Empty(strict.StoredFiles);
            Assert.Empty(strict.TempFiles);
        }
        await using (var lenient = await TestServer.StartAsync(o => o with { Storage = o.Storage! with { RejectSopClassMismatch = false } }))
        {
            var response = await RawStoreAsync(lenient, DicomUids.ComputedRadiographyImageStorage, command, DatasetOf(file));
            Assert.Equal(DimseStatus.DataSetDoesNotMatchSopClassWarning, response.Status);
            Assert.Single(lenient.StoredFiles);
        }
    }

    [Fact]
    public async Task Unparseable_data_set_or_mismatched_instance_is_C000()
    {
        using var temp = new TempFolder("c000");
        var file = Samples.Dx16(temp.Path, 32, 32);
        await using var scp = await TestServer.StartAsync();
        var garbage = new byte[5000];
        new Random(3).NextBytes(garbage);
        var response = await RawStoreAsync(scp, DicomUids.DigitalXRayImageStorageForPresentation,
            new CStoreRequest(1, DicomUids.DigitalXRayImageStorageForPresentation, "1.2.3.4"), garbage);
        Assert.Equal(DimseStatus.CannotUnderstand, response.Status);

        response = await RawStoreAsync(scp, DicomUids.DigitalXRayImageStorageForPresentation,
            new CStoreRequest(1, DicomUids.DigitalXRayImageStorageForPresentation, "1.2.3.4"), DatasetOf(file));
        Assert.Equal(DimseStatus.CannotUnderstand, response.Status);
        Assert.Contains("SOP Instance UID", response.ErrorComment, StringComparison.Ordinal);
        Assert.Empty(scp.StoredFiles);
        Assert.Empty(scp.TempFiles);
    }

    [Fact]
    public async Task A_data_set_broken_after_its_head_is_C000_naming_the_offset()
    {
        using var temp = new TempFolder("c000-tail");
        var file = Samples.Dx16(temp.Path, 64, 64);
        await using var scp = await TestServer.StartAsync();
        var good = DatasetOf(file);
        // The head (SOP Class and Instance UID) is fine; after the pixel data comes an element whose length runs
        // 1000 bytes past the end of what was sent.
        byte[] tail = [0xE1, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B', 0, 0, 0xE8, 0x03, 0, 0, 1, 2, 3, 4];
        var (sopClass, sopInstance) = (DicomUids.DigitalXRayImageStorageForPresentation, Samples.SopInstanceUid(file));
        var response = await RawStoreAsync(scp, sopClass, new CStoreRequest(1, sopClass, sopInstance), [.. good, .. tail]);
        Assert.Equal(DimseStatus.CannotUnderstand, response.Status);
        Assert.Equal($"data set does not parse at offset {good.Length}", response.ErrorComment);
        Assert.Empty(scp.StoredFiles);
        Assert.Empty(scp.TempFiles);
        Assert.Contains($"does not parse at offset {good.Length}, element (7FE1,0010)", scp.Log, StringComparison.Ordinal);

        // The same data set, whole, is stored.
        response = await RawStoreAsync(scp, sopClass, new CStoreRequest(1, sopClass, sopInstance), good);
        Assert.Equal(DimseStatus.Success, response.Status);
    }

    [Theory]
    [InlineData(0xB000)]
    [InlineData(0xB006)]
    public async Task Handler_warnings_reach_the_scu_and_the_instance_is_kept(int code)
    {
        using var temp = new TempFolder("warn");
        var file = Samples.Dx16(temp.Path, 32, 32);
        TestServer? scp = null;
        var handler = new DelegateHandler(async (instance, ct) =>
        {
            await instance.CommitAsync(Path.Combine(scp!.Output, "kept.dcm"), ct);
            return new StoreOutcome(new DimseStatus((ushort)code), "coerced for the test");
        });
        await using (scp = await TestServer.StartAsync(handler: handler))
        {
            var result = (await StoreScu.SendAsync(Loopback.Host, scp.Port, [file], ClientOptions)).Single();
            Assert.Equal(new DimseStatus((ushort)code), result.Status);
            Assert.True(result.Succeeded);
            Assert.Equal("coerced for the test", result.Error);
            Assert.Equal(Samples.PixelData(file), Samples.PixelData(Path.Combine(scp.Output, "kept.dcm")));
        }
    }

    [Fact]
    public async Task Handler_failures_are_answered_and_leave_nothing()
    {
        using var temp = new TempFolder("fail");
        var files = Enumerable.Range(0, 4).Select(i => Samples.Dx16(temp.Path, 32, 32, seed: i)).ToList();
        var calls = 0;
        TestServer? server = null;
        var handler = new DelegateHandler((instance, ct) => Interlocked.Increment(ref calls) switch
        {
            1 => throw new InvalidOperationException("bug"),
            2 => ValueTask.FromResult(StoreOutcome.Success), // claims success without committing
            3 => ValueTask.FromResult(new StoreOutcome(DimseStatus.OutOfResources, "queue full")),
            _ => new FileStoreHandler(server!.Output).OnInstanceReceivedAsync(instance, ct),
        });
        await using var scp = server = await TestServer.StartAsync(handler: handler);
        var results = await StoreScu.SendAsync(Loopback.Host, scp.Port, files, ClientOptions);
        Assert.Equal(
            [DimseStatus.ProcessingFailure, DimseStatus.ProcessingFailure, DimseStatus.OutOfResources, DimseStatus.Success],
            results.Select(r => r.Status!.Value));
        Assert.Equal(1, scp.Statistics.AssociationsAccepted);
        Assert.Single(scp.StoredFiles);
        Assert.Empty(scp.TempFiles);
    }

    [Fact]
    public async Task A_refusal_before_the_data_set_discards_it_and_the_association_goes_on()
    {
        using var temp = new TempFolder("refuse");
        var files = Enumerable.Range(0, 2).Select(i => Samples.Dx16(temp.Path, 128, 128, seed: i)).ToList();
        TestServer? server = null;
        var handler = new DelegateHandler(
            (instance, ct) => new FileStoreHandler(server!.Output).OnInstanceReceivedAsync(instance, ct),
            request => request.SopInstanceUid == Samples.SopInstanceUid(files[0]) ? DimseStatus.NotAuthorized : null);
        await using var scp = server = await TestServer.StartAsync(handler: handler);
        var results = await StoreScu.SendAsync(Loopback.Host, scp.Port, files, ClientOptions);
        Assert.Equal([DimseStatus.NotAuthorized, DimseStatus.Success], results.Select(r => r.Status!.Value));
        Assert.Equal([Samples.SopInstanceUid(files[1]) + ".dcm"], scp.StoredFiles.Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_handler_failing_before_the_data_set_is_0110_and_the_association_goes_on()
    {
        using var temp = new TempFolder("prefail");
        var files = Enumerable.Range(0, 2).Select(i => Samples.Dx16(temp.Path, 64, 64, seed: i)).ToList();
        TestServer? server = null;
        var first = Samples.SopInstanceUid(files[0]);
        var handler = new DelegateHandler(
            (instance, ct) => new FileStoreHandler(server!.Output).OnInstanceReceivedAsync(instance, ct),
            request => request.SopInstanceUid == first ? throw new InvalidOperationException("bug") : null);
        await using var scp = server = await TestServer.StartAsync(handler: handler);
        var results = await StoreScu.SendAsync(Loopback.Host, scp.Port, files, ClientOptions);
        Assert.Equal([DimseStatus.ProcessingFailure, DimseStatus.Success], results.Select(r => r.Status!.Value));
        Assert.Equal(1, scp.Statistics.AssociationsAccepted);
        Assert.Empty(scp.TempFiles);
    }

    [Fact]
    public async Task Operations_we_do_not_perform_are_0211()
    {
        await using var scp = await TestServer.StartAsync();
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.AssociateAsync(RawPeer.Storage(DicomUids.DigitalXRayImageStorageForPresentation, Ele));
        // A C-FIND-RQ with an identifier: the identifier is read and dropped, then the failure is answered.
        var find = new DicomDataset();
        CommandSet.SetUInt16(find, DicomTags.CommandField, (ushort)CommandField.CFindRequest);
        CommandSet.SetUInt16(find, DicomTags.MessageID, 9);
        CommandSet.SetUInt16(find, DicomTags.CommandDataSetType, 0);
        CommandSet.SetUid(find, DicomTags.AffectedSOPClassUID, DicomUids.DigitalXRayImageStorageForPresentation);
        await peer.SendPdvAsync(1, true, CommandSet.Encode(find), last: true);
        await peer.SendDatasetAsync(1, new byte[64]);
        var response = await peer.ReadCommandAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((CommandField.CFindResponse, false), DimseMessage.ReadHeader(response));
        Assert.Equal((ushort)0x0211, CommandSet.GetUInt16(response, DicomTags.Status));
        Assert.Equal((ushort)9, CommandSet.GetUInt16(response, DicomTags.MessageIDBeingRespondedTo));
    }

    [Fact]
    public async Task The_maximum_length_each_side_announces_is_honoured()
    {
        using var temp = new TempFolder("pdu");
        var file = Samples.Dx16(temp.Path, 1024, 1024);
        // The SCP, its tolerance set to nothing, aborts any P-DATA-TF longer than the 4096 it announced, so success means
        // our SCU cut to fit.
        await using var scp = await TestServer.StartAsync(o => o with
        {
            UpperLayer = o.UpperLayer with { MaxReceivePduLength = 4096, ReceivePduHardLimit = 4096 },
        });
        var options = ClientOptions with { UpperLayer = UpperLayerOptions.Default with { MaxReceivePduLength = 4096, MaxSendPduLength = 1 << 20 } };
        var result = (await StoreScu.SendAsync(Loopback.Host, scp.Port, [file], options)).Single();
        Assert.True(result.Succeeded, result + scp.Log);
        Assert.Equal(Samples.DatasetBytes(file), Samples.DatasetBytes(scp.StoredFiles.Single()));

        // DCMTK as the sender obeys it too (it fails with an abort otherwise).
        await using var small = await TestServer.StartAsync(o => o with { UpperLayer = o.UpperLayer with { MaxReceivePduLength = 4096 } });
        var (code, output) = await PeerProcess.RunAsync("storescu", ["-v", "-aet", "S", "-aec", TestServer.AeTitle, Loopback.Host,
            small.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), file]);
        Assert.True(code == 0, output + small.Log);
        Assert.Contains("Max Send PDV: 4084", output.Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);

        // A peer that announces 0 ("no limit") gets our own cap, not the 2 MiB data set in one PDU: this SCP would
        // abort anything over 300 KiB.
        await using var unlimited = await TestServer.StartAsync(o => o with
        {
            UpperLayer = o.UpperLayer with { MaxReceivePduLength = 0, ReceivePduHardLimit = 300 * 1024 },
        });
        var toUnlimited = (await StoreScu.SendAsync(Loopback.Host, unlimited.Port, [file], ClientOptions)).Single();
        Assert.True(toUnlimited.Succeeded, toUnlimited + unlimited.Log);
    }

    [Fact]
    public async Task A_uid_from_a_command_is_sanitised_before_it_is_logged()
    {
        using var temp = new TempFolder("uidlog");
        await using var scp = await TestServer.StartAsync();
        var dataset = DatasetOf(Samples.Dx16(temp.Path, 16, 16));
        var forged = "1.2.3\nError forged line \u001b[2J";
        var response = await RawStoreAsync(scp, DicomUids.DigitalXRayImageStorageForPresentation,
            new CStoreRequest(1, DicomUids.DigitalXRayImageStorageForPresentation, forged), dataset);
        Assert.Equal(DimseStatus.CannotUnderstand, response.Status);
        await scp.WaitIdleAsync();
        Assert.Contains(scp.LogLines, l => l.Contains("C-STORE 1.2.3?Error forged line ?[2J refused", StringComparison.Ordinal));
        Assert.All(scp.LogLines, l => Assert.DoesNotContain(l, char.IsControl));
    }

    private sealed class DelegateHandler(
        Func<ReceivedInstance, CancellationToken, ValueTask<StoreOutcome>> received,
        Func<StoreRequestContext, DimseStatus?>? request = null) : IStoreHandler
    {
        public ValueTask<DimseStatus?> OnStoreRequestAsync(StoreRequestContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(request?.Invoke(context));

        public ValueTask<StoreOutcome> OnInstanceReceivedAsync(ReceivedInstance instance, CancellationToken cancellationToken) =>
            received(instance, cancellationToken);
    }
}
