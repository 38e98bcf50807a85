using System.Buffers;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Fuzz.Pdu;

/// <summary>
/// The seed corpus: one of each PDU with every sub-item, and a whole echo conversation in one input. The first byte of
/// each seed is the split size the target uses (see <see cref="Program"/>), so it is varied too.
/// </summary>
internal static class Seeds
{
    public static void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var rq = new AssociateRequest { CalledAeTitle = "CXRAGENT", CallingAeTitle = "ROUTER" };
        rq.PresentationContexts.Add(new PresentationContextProposal(1, DicomUids.Verification, ["1.2.840.10008.1.2"]));
        rq.PresentationContexts.Add(new PresentationContextProposal(3, DicomUids.DigitalXRayImageStorageForPresentation,
            ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2", "1.2.840.10008.1.2.4.70"]));
        var ui = rq.UserInformation;
        ui.MaximumLength = 16384;
        ui.ImplementationClassUid = "1.2.3.4.5";
        ui.ImplementationVersionName = "FUZZ_SEED";
        ui.AsynchronousOperationsWindow = new AsynchronousOperationsWindow(2, 1);
        ui.RoleSelections.Add(new RoleSelection(DicomUids.DigitalXRayImageStorageForPresentation, true, false));
        ui.ExtendedNegotiations.Add(new SopClassExtendedNegotiation(DicomUids.DigitalXRayImageStorageForPresentation, new byte[] { 2, 0, 0, 0, 1, 0 }));
        ui.CommonExtendedNegotiations.Add(new SopClassCommonExtendedNegotiation(DicomUids.DigitalXRayImageStorageForPresentation,
            "1.2.840.10008.4.2", [DicomUids.ComputedRadiographyImageStorage]));
        ui.UserIdentity = new UserIdentityNegotiation(UserIdentityType.UsernameAndPasscode, true, "user"u8.ToArray(), "pass"u8.ToArray());

        var ac = new AssociateAccept { CalledAeTitle = "CXRAGENT", CallingAeTitle = "ROUTER" };
        ac.PresentationContexts.Add(new PresentationContextResult(1, PresentationContextResultReason.Acceptance, "1.2.840.10008.1.2"));
        ac.PresentationContexts.Add(new PresentationContextResult(3, PresentationContextResultReason.TransferSyntaxesNotSupported, "1.2.840.10008.1.2.1"));
        ac.UserInformation.MaximumLength = 0;
        ac.UserInformation.UserIdentityServerResponse = "ok"u8.ToArray();

        var echo = PData(1, true, CommandSet.Encode(new CEchoRequest(1).ToCommand()));
        var store = PData(3, true, CommandSet.Encode(new CStoreRequest(2, DicomUids.DigitalXRayImageStorageForPresentation, "1.2.3.4").ToCommand()));
        var data = PData(3, false, new byte[] { 0x08, 0x00, 0x16, 0x00, 0x04, 0x00, 0x00, 0x00, 0x31, 0x2E, 0x32, 0x00 });

        Save(folder, "associate-rq", PduWriter.ToArray(rq));
        Save(folder, "associate-ac", PduWriter.ToArray(ac));
        Save(folder, "associate-rj", PduWriter.ToArray(AssociateReject.LocalLimitExceeded()));
        Save(folder, "echo", echo);
        Save(folder, "store", [.. store, .. data]);
        Save(folder, "release", [.. PduWriter.ToArray(ReleaseRequest.Instance), .. PduWriter.ToArray(ReleaseResponse.Instance)]);
        Save(folder, "abort", PduWriter.ToArray(Abort.ByServiceProvider(AbortReason.UnexpectedPdu)));
        Save(folder, "conversation", [.. PduWriter.ToArray(rq), .. echo, .. store, .. data, .. PduWriter.ToArray(ReleaseRequest.Instance)]);
    }

    private static byte[] PData(byte context, bool command, byte[] bytes) =>
        PduWriter.ToArray(new PDataTransfer([new PresentationDataValue(context, command, true, new ReadOnlySequence<byte>(bytes))]));

    private static void Save(string folder, string name, byte[] pdus)
    {
        // Split sizes 7 and 63 (first byte 6 and 62): an odd size that cuts fields, and a large one.
        File.WriteAllBytes(Path.Combine(folder, name + "-7"), [6, .. pdus]);
        File.WriteAllBytes(Path.Combine(folder, name + "-63"), [62, .. pdus]);
    }
}
