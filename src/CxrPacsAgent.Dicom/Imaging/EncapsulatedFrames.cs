using System.Buffers;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Imaging;

/// <summary>
/// Finds one frame's compressed bytes among the fragments of encapsulated pixel data (PS3.5 A.4): by the Extended
/// Offset Table, else the Basic Offset Table, else one fragment per frame, else (JPEG family) fragments that begin with
/// SOI. Offsets count from the first byte of the first fragment's item tag, so each fragment adds 8 bytes of header.
/// </summary>
internal static class EncapsulatedFrames
{
    public static FrameBytes GetFrame(DicomDataset ds, DicomFragmentSequence pixels, int frame, int frames)
    {
        var fragments = pixels.Fragments;
        if (fragments.Count == 0)
        {
            throw new DicomPixelDataException("encapsulated Pixel Data (7FE0,0010) has no fragments");
        }
        var itemOffsets = new long[fragments.Count + 1];
        for (var i = 0; i < fragments.Count; i++)
        {
            itemOffsets[i + 1] = itemOffsets[i] + 8 + fragments[i].Length;
        }
        if (ds.Contains(DicomTags.ExtendedOffsetTable))
        {
            ulong[] offsets, lengths;
            try
            {
                offsets = ds.GetValues<ulong>(DicomTags.ExtendedOffsetTable);
                lengths = ds.GetValues<ulong>(DicomTags.ExtendedOffsetTableLengths);
            }
            catch (InvalidOperationException e)
            {
                throw new DicomPixelDataException($"the Extended Offset Table cannot be read as 64-bit values: {e.Message}", e);
            }
            Require(offsets.Length >= frames && lengths.Length >= frames,
                $"the Extended Offset Table has {offsets.Length} offsets and {lengths.Length} lengths for {frames} frames");
            var index = Array.IndexOf(itemOffsets, (long)offsets[frame]);
            Require(index >= 0 && index < fragments.Count, $"Extended Offset Table entry {frame} ({offsets[frame]}) is not the start of a fragment");
            var fragment = fragments[index];
            Require((ulong)fragment.Length >= lengths[frame], $"frame {frame} is longer ({lengths[frame]}) than its fragment ({fragment.Length})");
            return FrameBytes.Of(fragment, (int)lengths[frame]);
        }
        var bot = pixels.GetOffsets();
        if (bot.Length > 0)
        {
            Require(bot.Length >= frames, $"the Basic Offset Table has {bot.Length} entries for {frames} frames");
            var first = Array.IndexOf(itemOffsets, (long)bot[frame]);
            var end = frame + 1 < frames ? Array.IndexOf(itemOffsets, (long)bot[frame + 1]) : fragments.Count;
            Require(first >= 0 && end > first && end <= fragments.Count,
                $"Basic Offset Table entries {frame}/{frame + 1} do not delimit whole fragments");
            return Concatenate(fragments, first, end);
        }
        if (frames == 1)
        {
            return Concatenate(fragments, 0, fragments.Count);
        }
        if (fragments.Count == frames)
        {
            return FrameBytes.Of(fragments[frame], fragments[frame].Length);
        }
        // Without offsets, each JPEG-family frame starts a new fragment with SOI (PS3.5 A.4, Note).
        var starts = new List<int>();
        Span<byte> start = stackalloc byte[2];
        for (var i = 0; i < fragments.Count; i++)
        {
            if (fragments[i].Length >= 2)
            {
                fragments[i].CopyTo(0, start);
            }
            if (fragments[i].Length >= 2 && start[0] == 0xFF && start[1] is 0xD8 or 0x4F)
            {
                starts.Add(i);
            }
        }
        Require(starts.Count == frames && starts[0] == 0,
            $"{fragments.Count} fragments for {frames} frames and no offset table to tell which belong to frame {frame}");
        return Concatenate(fragments, starts[frame], frame + 1 < frames ? starts[frame + 1] : fragments.Count);
    }

    private static FrameBytes Concatenate(List<DicomBuffer> fragments, int first, int end)
    {
        if (end - first == 1)
        {
            return FrameBytes.Of(fragments[first], fragments[first].Length);
        }
        long total = 0;
        for (var i = first; i < end; i++)
        {
            total += fragments[i].Length;
        }
        Require(total <= Array.MaxLength, "a frame larger than 2 GiB");
        var rented = ArrayPool<byte>.Shared.Rent((int)total);
        var o = 0;
        for (var i = first; i < end; i++)
        {
            fragments[i].CopyTo(0, rented.AsSpan(o, (int)fragments[i].Length));
            o += (int)fragments[i].Length;
        }
        return new FrameBytes(rented.AsMemory(0, (int)total), rented);
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new DicomPixelDataException(problem);
        }
    }
}

/// <summary>
/// One frame's compressed bytes: in memory already, or copied into a pooled buffer (a fragment still on disk, or
/// several fragments joined) that <see cref="Dispose"/> returns.
/// </summary>
internal readonly struct FrameBytes(ReadOnlyMemory<byte> memory, byte[]? rented) : IDisposable
{
    public ReadOnlyMemory<byte> Memory { get; } = memory;

    public static FrameBytes Of(DicomBuffer fragment, long length)
    {
        if (!fragment.IsDeferred)
        {
            return new FrameBytes(fragment.Memory[..(int)length], null);
        }
        var rented = ArrayPool<byte>.Shared.Rent((int)length);
        fragment.CopyTo(0, rented.AsSpan(0, (int)length));
        return new FrameBytes(rented.AsMemory(0, (int)length), rented);
    }

    public void Dispose()
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
