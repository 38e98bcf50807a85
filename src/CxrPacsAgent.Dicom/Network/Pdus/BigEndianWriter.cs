using System.Buffers.Binary;
using System.Text;

namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>Sequential big-endian writes into a span sized beforehand (PDU fields are big endian, PS3.8 9.3.1).</summary>
internal ref struct BigEndianWriter(Span<byte> destination)
{
    private readonly Span<byte> destination = destination;

    public int Position { get; private set; }

    public void Byte(byte value) => destination[Position++] = value;

    public void Zeros(int count)
    {
        destination.Slice(Position, count).Clear();
        Position += count;
    }

    public void UInt16(int value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination[Position..], checked((ushort)value));
        Position += 2;
    }

    public void UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination[Position..], value);
        Position += 4;
    }

    public void Ascii(string text) => Position += Encoding.ASCII.GetBytes(text, destination[Position..]);

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[Position..]);
        Position += bytes.Length;
    }

    public void AeTitleField(string title)
    {
        AeTitle.Encode(title, destination.Slice(Position, AeTitle.Length));
        Position += AeTitle.Length;
    }

    /// <summary>Item header: type, reserved, 16-bit length (PS3.8 9.3.2.1 and following).</summary>
    public void ItemHeader(ItemType type, int length)
    {
        Byte((byte)type);
        Byte(0);
        UInt16(length);
    }
}
