using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg2000;

/// <summary>
/// JPEG 2000 (ISO 15444-1) frames, lossless (1.2.840.10008.1.2.4.90) and lossy (.91), decoded by OpenJPEG
/// (<see cref="OpenJpeg"/>): no JPEG 2000 code of our own, only the checks around it. The codestream's size and
/// components are compared with the Image Pixel module before anything is decoded, so a codestream cannot make the
/// library allocate more than the frame the data set declares.
/// </summary>
public sealed unsafe class Jpeg2000FrameDecoder : IDicomFrameDecoder
{
    private const int CodecJ2k = 0;
    private const int CodecJp2 = 2;

    /// <summary>Bytes per read callback; OpenJPEG reads the codestream in pieces of this size.</summary>
    private const int StreamChunk = 64 * 1024;

    /// <summary>opj_dparameters_t is about 8.3 KB in OpenJPEG 2.x; this is room for it with margin.</summary>
    private const int ParametersSize = 16 * 1024;

    public string Name => "JPEG 2000";

    public void Decode(ReadOnlySpan<byte> frame, PixelDescription description, Span<int> samples)
    {
        ArgumentNullException.ThrowIfNull(description);
        var api = OpenJpeg.Api;
        // A raw codestream starts with SOC (FF4FH); a few writers wrap it in a JP2 file (signature box).
        var jp2 = frame.Length >= 12 && frame[..12].SequenceEqual((ReadOnlySpan<byte>)[0, 0, 0, 12, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A]);
        if (!jp2 && (frame.Length < 2 || frame[0] != 0xFF || frame[1] != 0x4F))
        {
            throw new DicomCodecException(Name, "no SOC marker (FF4FH) or JP2 signature at the start of the frame", 0);
        }
        var messages = new Messages();
        var messagesHandle = GCHandle.Alloc(messages);
        nint codec = 0, stream = 0;
        OpenJpegImage* image = null;
        try
        {
            fixed (byte* data = frame)
            {
                var source = new Source { Data = data, Length = frame.Length };
                stream = api.StreamCreate(StreamChunk, 1);
                if (stream == 0)
                {
                    throw new DicomCodecException(Name, "OpenJPEG could not create a stream", 0);
                }
                api.StreamSetReadFunction(stream, &Read);
                api.StreamSetSkipFunction(stream, &Skip);
                api.StreamSetSeekFunction(stream, &Seek);
                api.StreamSetUserData(stream, &source, null);
                api.StreamSetUserDataLength(stream, (ulong)frame.Length);

                codec = api.CreateDecompress(jp2 ? CodecJp2 : CodecJ2k);
                var client = (void*)GCHandle.ToIntPtr(messagesHandle);
                api.SetErrorHandler(codec, &OnError, client);
                api.SetWarningHandler(codec, &OnWarning, client);
                var parameters = stackalloc byte[ParametersSize];
                api.SetDefaultDecoderParameters(parameters);
                Require(api.SetupDecoder(codec, parameters) != 0, "OpenJPEG refused its decoder parameters", messages, source);
                Require(api.ReadHeader(stream, codec, &image) != 0 && image is not null, "the codestream header cannot be read", messages, source);
                CheckHeader(image, description, source);
                Require(api.Decode(codec, stream, image) != 0, "the codestream cannot be decoded", messages, source);
                Require(api.EndDecompress(codec, stream) != 0, "the codestream does not end properly", messages, source);
                Copy(image, description, samples);
            }
        }
        finally
        {
            if (image is not null)
            {
                api.ImageDestroy(image);
            }
            if (codec != 0)
            {
                api.DestroyCodec(codec);
            }
            if (stream != 0)
            {
                api.StreamDestroy(stream);
            }
            messagesHandle.Free();
        }
    }

    /// <summary>YBR_RCT and YBR_ICT data come out as RGB: OpenJPEG applies the inverse component transform.</summary>
    public string DecodedPhotometricInterpretation(PixelDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return description.PhotometricInterpretation is "YBR_RCT" or "YBR_ICT" ? "RGB" : description.PhotometricInterpretation;
    }

    private void CheckHeader(OpenJpegImage* image, PixelDescription d, Source source)
    {
        if (image->NumComps != d.SamplesPerPixel)
        {
            throw new DicomCodecException(Name, $"the codestream has {image->NumComps} components; Samples per Pixel is {d.SamplesPerPixel}",
                source.Position);
        }
        for (var c = 0; c < d.SamplesPerPixel; c++)
        {
            var component = image->Comps[c];
            if (component.Dx != 1 || component.Dy != 1)
            {
                throw new DicomCodecException(Name, $"component {c} is subsampled ({component.Dx}×{component.Dy}), which DICOM frames are not", source.Position);
            }
            if (component.W != d.Columns || component.H != d.Rows)
            {
                throw new DicomCodecException(Name, $"component {c} is {component.W}×{component.H}; the data set says {d.Columns}×{d.Rows}",
                    source.Position);
            }
            if (component.Prec is 0 || component.Prec > d.BitsAllocated || component.Prec > 31)
            {
                throw new DicomCodecException(Name, $"component {c} has {component.Prec}-bit samples; Bits Allocated is {d.BitsAllocated}",
                    source.Position);
            }
        }
    }

    private static void Copy(OpenJpegImage* image, PixelDescription d, Span<int> samples)
    {
        var spp = d.SamplesPerPixel;
        var pixels = d.PixelCount;
        for (var c = 0; c < spp; c++)
        {
            var data = new ReadOnlySpan<int>(image->Comps[c].Data, pixels);
            if (spp == 1)
            {
                data.CopyTo(samples);
                return;
            }
            for (var i = 0; i < pixels; i++)
            {
                samples[(i * spp) + c] = data[i];
            }
        }
    }

    private void Require(bool ok, string problem, Messages messages, Source source)
    {
        if (!ok)
        {
            throw new DicomCodecException(Name, messages.Errors.Count == 0 ? problem : $"{problem}: {string.Join("; ", messages.Errors)}",
                source.Position);
        }
    }

    /// <summary>The frame's bytes as OpenJPEG's input stream; Position is how far it has read.</summary>
    private struct Source
    {
        public byte* Data;
        public long Length;
        public long Position;
    }

    /// <summary>What OpenJPEG reported while decoding one frame (its messages name the marker or box at fault).</summary>
    private sealed class Messages
    {
        public List<string> Errors { get; } = [];
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nuint Read(void* buffer, nuint count, void* user)
    {
        var source = (Source*)user;
        var left = source->Length - source->Position;
        if (left <= 0)
        {
            return unchecked((nuint)(-1));
        }
        var n = (long)Math.Min((ulong)left, count);
        Buffer.MemoryCopy(source->Data + source->Position, buffer, (long)count, n);
        source->Position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static long Skip(long count, void* user)
    {
        var source = (Source*)user;
        var target = source->Position + count;
        if (target < 0 || target > source->Length)
        {
            return -1;
        }
        source->Position = target;
        return count;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Seek(long offset, void* user)
    {
        var source = (Source*)user;
        if (offset < 0 || offset > source->Length)
        {
            return 0;
        }
        source->Position = offset;
        return 1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(byte* message, void* client)
    {
        if (GCHandle.FromIntPtr((nint)client).Target is Messages messages && messages.Errors.Count < 8)
        {
            messages.Errors.Add((Marshal.PtrToStringUTF8((nint)message) ?? "").Trim());
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnWarning(byte* message, void* client)
    {
        // Warnings (e.g. a codestream that ends early but is decodable) do not fail the frame; errors do.
    }
}
