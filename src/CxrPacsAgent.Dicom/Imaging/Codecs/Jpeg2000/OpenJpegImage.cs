using System.Runtime.InteropServices;

namespace CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg2000;

/// <summary>opj_image_t of OpenJPEG 2.x (openjpeg.h), as the decoder hands it back.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OpenJpegImage
{
    public uint X0;
    public uint Y0;
    public uint X1;
    public uint Y1;
    public uint NumComps;
    public int ColorSpace;
    public OpenJpegComponent* Comps;
    public byte* IccProfileBuffer;
    public uint IccProfileLength;
}

/// <summary>opj_image_comp_t: one decoded component, its samples one int each, row by row.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OpenJpegComponent
{
    public uint Dx;
    public uint Dy;
    public uint W;
    public uint H;
    public uint X0;
    public uint Y0;
    public uint Prec;
    public uint Bpp;
    public uint Sgnd;
    public uint ResnoDecoded;
    public uint Factor;
    public int* Data;
    public ushort Alpha;
}
