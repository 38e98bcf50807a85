using static CxrPacsAgent.Dicom.Tests.TestSupport.PduBytes;

namespace CxrPacsAgent.Dicom.Tests.TestSupport;

/// <summary>
/// Sub-items no installed peer sends, laid out byte by byte from PS3.7 D.3.3.3 (53H), D.3.3.5 (56H), D.3.3.6 (57H)
/// and D.3.3.7 (58H, 59H), in ascending item-type order.
/// </summary>
internal static class HandAssembled
{
    private static byte[] U16(int v) => [(byte)(v >> 8), (byte)v];

    private static byte[] Ascii(string s) => System.Text.Encoding.ASCII.GetBytes(s);

    private static byte[] Field(string s) => [.. U16(s.Length), .. Ascii(s)];

    public static readonly byte[] RequestUserInformation = Item(0x50,
    [
        .. Item(0x51, [0x00, 0x00, 0x40, 0x00]),
        .. UidItem(0x52, "1.2.3.4"),
        // Maximum number of operations invoked 3, performed 1.
        .. Item(0x53, [0x00, 0x03, 0x00, 0x01]),
        .. Item(0x55, Ascii("HAND_MADE")),
        // Storage extended negotiation: level of support 2, element coercion 1 (PS3.4 B.3.1).
        .. Item(0x56, [.. Field("1.2.840.10008.5.1.4.1.1.1"), 2, 0, 0, 0, 1, 0]),
        .. Item(0x57, [.. Field("1.2.840.10008.5.1.4.1.1.1.1"), .. Field("1.2.840.10008.4.2"),
            .. U16(2 + 25), .. Field("1.2.840.10008.5.1.4.1.1.1")]),
        // Username and passcode, positive response requested.
        .. Item(0x58, [2, 1, .. Field("alice"), .. Field("secret")]),
    ]);

    public static readonly byte[] AcceptWithUserIdentityResponse = Associate(
    [
        .. UidItem(0x10, "1.2.840.10008.3.1.1.1"),
        .. Item(0x21, [1, 0, 0, 0, .. UidItem(0x40, "1.2.840.10008.1.2.1")]),
        .. Item(0x50, [.. Item(0x51, [0x00, 0x01, 0x00, 0x00]), .. Item(0x59, [.. Field("ok")])]),
    ], type: 0x02);
}
