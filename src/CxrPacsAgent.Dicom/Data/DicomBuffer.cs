namespace CxrPacsAgent.Dicom.Data;

/// <summary>
/// The bytes of one value, little endian and padded to even length as they are encoded. Large values read from files
/// stay on disk (<see cref="FileRangeBuffer"/>) until someone asks for them.
/// </summary>
public abstract class DicomBuffer
{
    public static DicomBuffer Empty { get; } = new MemoryBuffer(ReadOnlyMemory<byte>.Empty);

    public abstract long Length { get; }

    /// <summary>The bytes in memory; a deferred buffer is read (once) on first access.</summary>
    public abstract ReadOnlyMemory<byte> Memory { get; }

    /// <summary>True while the bytes have not been brought into memory.</summary>
    public virtual bool IsDeferred => false;

    /// <summary>
    /// Copies <paramref name="destination"/>.Length bytes from <paramref name="offset"/> into a buffer the caller owns
    /// (e.g. rented and reused), without bringing the whole value into memory where it is still on disk: loading a
    /// 10 MB pixel value this way costs no fresh 10 MB array.
    /// </summary>
    public virtual void CopyTo(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + destination.Length, Length);
        Memory.Span.Slice((int)offset, destination.Length).CopyTo(destination);
    }

    /// <summary>Writes the bytes to <paramref name="destination"/> without keeping them in memory where possible.</summary>
    public virtual void CopyTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(Memory.Span);
    }

    public static DicomBuffer From(ReadOnlyMemory<byte> bytes) => bytes.IsEmpty ? Empty : new MemoryBuffer(bytes);
}

/// <summary>A value held in memory.</summary>
public sealed class MemoryBuffer(ReadOnlyMemory<byte> bytes) : DicomBuffer
{
    public override long Length => bytes.Length;

    public override ReadOnlyMemory<byte> Memory => bytes;
}
