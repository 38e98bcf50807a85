using System.Runtime.InteropServices;

namespace CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg2000;

/// <summary>
/// The OpenJPEG 2 library (the JPEG 2000 reference implementation; Debian's libopenjp2-7), loaded once through
/// <see cref="NativeLibrary"/> with the entry points this toolkit calls. Without it JPEG 2000 pixel data is simply not
/// decodable: <see cref="IsAvailable"/> is false and <see cref="UnavailableReason"/> says why, naming the library.
/// </summary>
public static unsafe class OpenJpeg
{
    /// <summary>
    /// Names the library (a file path or a name the loader resolves) when it is not where the system keeps it, e.g. an
    /// openjp2.dll shipped beside the agent on Windows. When set, nothing else is tried.
    /// </summary>
    public const string LibraryVariable = "CXRAGENT_OPENJPEG_LIBRARY";

    /// <summary>The names tried, most specific first: the Debian/Ubuntu soname, then the generic ones.</summary>
    private static readonly string[] LibraryNames = Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } configured
        ? [configured]
        : OperatingSystem.IsWindows() ? ["openjp2.dll", "openjp2"]
        : OperatingSystem.IsMacOS() ? ["libopenjp2.7.dylib", "libopenjp2.dylib"]
        : ["libopenjp2.so.7", "libopenjp2.so"];

    private static readonly Lazy<Entries?> Loaded = new(Load);
    private static string unavailable = "";

    /// <summary>True when OpenJPEG 2 could be loaded and has every entry point used here.</summary>
    public static bool IsAvailable => Loaded.Value is not null;

    /// <summary>Why JPEG 2000 cannot be decoded here; empty when it can.</summary>
    public static string UnavailableReason => IsAvailable ? "" : unavailable;

    /// <summary>OpenJPEG's version string (opj_version), e.g. "2.5.0"; empty when unavailable.</summary>
    public static string Version => Loaded.Value is { } e ? Marshal.PtrToStringUTF8((nint)e.Version()) ?? "" : "";

    internal static Entries Api => Loaded.Value ?? throw new DicomCodecException($"JPEG 2000: {UnavailableReason}");

    private static Entries? Load()
    {
        nint handle = 0;
        foreach (var name in LibraryNames)
        {
            if (NativeLibrary.TryLoad(name, typeof(OpenJpeg).Assembly, null, out handle))
            {
                break;
            }
        }
        if (handle == 0)
        {
            unavailable = $"the OpenJPEG library ({string.Join(" or ", LibraryNames)}) cannot be loaded; on Debian: apt-get install libopenjp2-7"
                + $", or set {LibraryVariable} to its path";
            return null;
        }
        try
        {
            return new Entries(handle);
        }
        catch (EntryPointNotFoundException e)
        {
            unavailable = $"the OpenJPEG library found is not OpenJPEG 2.x: {e.Message}";
            return null;
        }
    }

    /// <summary>opj_* entry points (OpenJPEG 2.x, openjpeg.h), all cdecl.</summary>
    internal sealed class Entries(nint library)
    {
        public readonly delegate* unmanaged[Cdecl]<byte*> Version = (delegate* unmanaged[Cdecl]<byte*>)Export(library, "opj_version");
        public readonly delegate* unmanaged[Cdecl]<int, nint> CreateDecompress =
            (delegate* unmanaged[Cdecl]<int, nint>)Export(library, "opj_create_decompress");
        public readonly delegate* unmanaged[Cdecl]<nint, void> DestroyCodec = (delegate* unmanaged[Cdecl]<nint, void>)Export(library, "opj_destroy_codec");
        public readonly delegate* unmanaged[Cdecl]<void*, void> SetDefaultDecoderParameters =
            (delegate* unmanaged[Cdecl]<void*, void>)Export(library, "opj_set_default_decoder_parameters");
        public readonly delegate* unmanaged[Cdecl]<nint, void*, int> SetupDecoder =
            (delegate* unmanaged[Cdecl]<nint, void*, int>)Export(library, "opj_setup_decoder");
        public readonly delegate* unmanaged[Cdecl]<nint, delegate* unmanaged[Cdecl]<byte*, void*, void>, void*, int> SetErrorHandler =
            (delegate* unmanaged[Cdecl]<nint, delegate* unmanaged[Cdecl]<byte*, void*, void>, void*, int>)Export(library, "opj_set_error_handler");
        public readonly delegate* unmanaged[Cdecl]<nint, delegate* unmanaged[Cdecl]<byte*, void*, void>, void*, int> SetWarningHandler =
            (delegate* unmanaged[Cdecl]<nint, delegate* unmanaged[Cdecl]<byte*, void*, void>, void*, int>)Export(library, "opj_set_warning_handler");
        public readonly delegate* unmanaged[Cdecl]<nint, nint, OpenJpegImage**, int> ReadHeader =
            (delegate* unmanaged[Cdecl]<nint, nint, OpenJpegImage**, int>)Export(library, "opj_read_header");
        public readonly delegate* unmanaged[Cdecl]<nint, nint, OpenJpegImage*, int> Decode =
            (delegate* unmanaged[Cdecl]<nint, nint, OpenJpegImage*, int>)Export(library, "opj_decode");
        public readonly delegate* unmanaged[Cdecl]<nint, nint, int> EndDecompress =
            (delegate* unmanaged[Cdecl]<nint, nint, int>)Export(library, "opj_end_decompress");
        public readonly delegate* unmanaged[Cdecl]<OpenJpegImage*, void> ImageDestroy =
            (delegate* unmanaged[Cdecl]<OpenJpegImage*, void>)Export(library, "opj_image_destroy");
        public readonly delegate* unmanaged[Cdecl]<nuint, int, nint> StreamCreate =
            (delegate* unmanaged[Cdecl]<nuint, int, nint>)Export(library, "opj_stream_create");
        public readonly delegate* unmanaged[Cdecl]<nint, void> StreamDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Export(library, "opj_stream_destroy");
        public readonly delegate* unmanaged[Cdecl]<nint, delegate* unmanaged[Cdecl]<void*, nuint, void*, nuint>, void> StreamSetReadFunction =
            (delegate* unmanaged[Cdecl]<nint, delegate* unmanaged[Cdecl]<void*, nuint, void*, nuint>, void>)Export(library, "opj_stream_set_read_function");
        public readonly delegate* unmanaged[Cdecl]<nint, delegate* unmanaged[Cdecl]<long, void*, long>, void> StreamSetSkipFunction =
            (delegate* unmanaged[Cdecl]<nint, delegate* unmanaged[Cdecl]<long, void*, long>, void>)Export(library, "opj_stream_set_skip_function");
        public readonly delegate* unmanaged[Cdecl]<nint, delegate* unmanaged[Cdecl]<long, void*, int>, void> StreamSetSeekFunction =
            (delegate* unmanaged[Cdecl]<nint, delegate* unmanaged[Cdecl]<long, void*, int>, void>)Export(library, "opj_stream_set_seek_function");
        public readonly delegate* unmanaged[Cdecl]<nint, void*, void*, void> StreamSetUserData =
            (delegate* unmanaged[Cdecl]<nint, void*, void*, void>)Export(library, "opj_stream_set_user_data");
        public readonly delegate* unmanaged[Cdecl]<nint, ulong, void> StreamSetUserDataLength =
            (delegate* unmanaged[Cdecl]<nint, ulong, void>)Export(library, "opj_stream_set_user_data_length");

        private static nint Export(nint library, string name) => NativeLibrary.GetExport(library, name);
    }
}
