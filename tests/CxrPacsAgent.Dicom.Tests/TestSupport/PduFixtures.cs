namespace CxrPacsAgent.Dicom.Tests.TestSupport;

/// <summary>
/// Raw PDUs captured on loopback between real peers (a relay recorded both directions), plus items assembled by hand
/// from the layouts of PS3.8 9.3 and PS3.7 D.3.3 where no installed peer sends them.
/// </summary>
internal static class PduFixtures
{
    /// <summary>A-ASSOCIATE-RQ of echoscu (DCMTK 3.6.7) calling ECHOSCU to STORESCP, max length 16384.</summary>
    public static readonly byte[] EchoscuAssociateRequest = Convert.FromHexString(
        "0100000000CD0001000053544F524553435020202020202020204543484F534355202020202020202020000000000000" +
        "000000000000000000000000000000000000000000000000000010000015312E322E3834302E31303030382E332E312E" +
        "312E312000002E0100FF0030000011312E322E3834302E31303030382E312E3140000011312E322E3834302E31303030" +
        "382E312E325000003A51000004000040005200001B312E322E3237362E302E373233303031302E332E302E332E362E37" +
        "5500000F4F464649535F44434D544B5F333637");

    /// <summary>A-ASSOCIATE-AC of storescp (DCMTK 3.6.7) answering it: context 1 accepted with Implicit VR LE.</summary>
    public static readonly byte[] StorescpAssociateAccept = Convert.FromHexString(
        "0200000000B80001000053544F524553435020202020202020204543484F534355202020202020202020000000000000" +
        "000000000000000000000000000000000000000000000000000010000015312E322E3834302E31303030382E332E312E" +
        "312E31210000190100000040000011312E322E3834302E31303030382E312E325000003A51000004000040005200001B" +
        "312E322E3237362E302E373233303031302E332E302E332E362E375500000F4F464649535F44434D544B5F333637");

    /// <summary>P-DATA-TF of echoscu: one PDV, command, last fragment, C-ECHO-RQ message ID 1.</summary>
    public static readonly byte[] EchoscuEchoRequest = Convert.FromHexString(
        "04000000004A0000004601030000000004000000380000000000020012000000312E322E3834302E31303030382E312E" +
        "3100000000010200000030000000100102000000010000000008020000000101");

    /// <summary>P-DATA-TF of storescp: the C-ECHO-RSP, status 0000H.</summary>
    public static readonly byte[] StorescpEchoResponse = Convert.FromHexString(
        "0400000000540000005001030000000004000000420000000000020012000000312E322E3834302E31303030382E312E" +
        "310000000001020000003080000020010200000001000000000802000000010100000009020000000000");

    /// <summary>A-RELEASE-RQ of echoscu.</summary>
    public static readonly byte[] EchoscuReleaseRequest = Convert.FromHexString(
        "05000000000400000000");

    /// <summary>A-RELEASE-RP of storescp.</summary>
    public static readonly byte[] StorescpReleaseResponse = Convert.FromHexString(
        "06000000000400000000");

    /// <summary>A-ABORT of echoscu --abort: service-user source.</summary>
    public static readonly byte[] EchoscuAbort = Convert.FromHexString(
        "07000000000400000000");

    /// <summary>P-DATA-TF of storescu (DCMTK 3.6.7): the C-STORE-RQ command of a CR image on context 37.</summary>
    public static readonly byte[] StorescuStoreCommand = Convert.FromHexString(
        "040000000094000000902503000000000400000082000000000002001A000000312E322E3834302E31303030382E352E" +
        "312E342E312E312E31000000000102000000010000001001020000000100000000070200000000000000000802000000" +
        "01000000001030000000312E332E362E312E342E312E353936322E312E312E302E302E302E313139363532373431342E" +
        "353533342E302E313100");

    /// <summary>A-ASSOCIATE-RJ of Orthanc 1.10.1 for a wrong called AE title: permanent, service-user, reason 7.</summary>
    public static readonly byte[] OrthancAssociateReject = Convert.FromHexString(
        "03000000000400010107");

    /// <summary>User Information item of getscu (DCMTK 3.6.7), cut to two of its 120 role selections (SCU 0, SCP 1).</summary>
    public static readonly byte[] GetscuUserInformation = Convert.FromHexString(
        "5000008451000004000040005200001B312E322E3237362E302E373233303031302E332E302E332E362E37540000" +
        "21001D312E322E3834302E31303030382E352E312E342E312E312E392E312E3300015400002100" +
        "1D312E322E3834302E31303030382E352E312E342E312E312E392E352E3100015500000F4F464649535F44434D544B5F333637");
}
