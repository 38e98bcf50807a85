using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace CxrPacsAgent.Dicom.Data;

/// <summary>
/// A value that stays in its file until read: pixel data of 10–50 MB is not copied when a file is opened only for its
/// header. <paramref name="swapUnit"/> &gt; 1 marks a big-endian source whose words are swapped on load.
/// </summary>
public sealed class FileRangeBuffer(string path, long offset, long length, int swapUnit = 1) : DicomBuffer
{
    private ReadOnlyMemory<byte>? loaded;

    public string Path { get; } = path;

    public long Offset { get; } = offset;

    public override long Length => length;

    public override bool IsDeferred => loaded is null;

    public override ReadOnlyMemory<byte> Memory => loaded ??= Load();

    public override void CopyTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (loaded is not null || swapUnit > 1)
        {
            destination.Write(Memory.Span);
            return;
        }
        using var handle = OpenChecked();
        var chunk = new byte[Math.Min(length, 1 << 20)];
        for (long done = 0; done < length;)
        {
            var n = RandomAccess.Read(handle, chunk.AsSpan(0, (int)Math.Min(chunk.Length, length - done)), Offset + done);
            if (n == 0)
            {
                throw Truncated();
            }
            destination.Write(chunk, 0, n);
            done += n;
        }
    }

    public override void CopyTo(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + destination.Length, length);
        if (loaded is { } bytes)
        {
            bytes.Span.Slice((int)offset, destination.Length).CopyTo(destination);
            return;
        }
        // Whole swap units only, so that a big-endian value's words can be turned around in place.
        if (swapUnit > 1 && (offset % swapUnit != 0 || destination.Length % swapUnit != 0))
        {
            Memory.Span.Slice((int)offset, destination.Length).CopyTo(destination);
            return;
        }
        using var handle = OpenChecked();
        ReadExactly(handle, destination, Offset + offset);
        Swap(destination, swapUnit);
    }

    private ReadOnlyMemory<byte> Load()
    {
        if (length > Array.MaxLength)
        {
            throw new DicomFormatException($"value of {length} bytes is too large to load", null, Offset);
        }
        var bytes = GC.AllocateUninitializedArray<byte>((int)length);
        using (var handle = OpenChecked())
        {
            ReadExactly(handle, bytes, Offset);
        }
        Swap(bytes, swapUnit);
        return bytes;
    }

    private void ReadExactly(SafeFileHandle handle, Span<byte> destination, long fileOffset)
    {
        for (var done = 0; done < destination.Length;)
        {
            var n = RandomAccess.Read(handle, destination[done..], fileOffset + done);
            if (n == 0)
            {
                throw Truncated();
            }
            done += n;
        }
    }

    private SafeFileHandle OpenChecked()
    {
        var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        if (RandomAccess.GetLength(handle) < Offset + length)
        {
            handle.Dispose();
            throw Truncated();
        }
        return handle;
    }

    private DicomFormatException Truncated() =>
        new($"file '{Path}' changed or was truncated: value of {length} bytes no longer fits", null, Offset);

    internal static void Swap(Span<byte> bytes, int unit)
    {
        switch (unit)
        {
            case 2:
                var u16 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
        }
    }
}
