using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Filtering;
using CxrPacsAgent.Imaging.Sources;

namespace CxrPacsAgent.Imaging.Sources;

/// <summary>Decodes an input file (DICOM, or PNG/JPEG for research sets) to grey pixels through Imaging, with the view filter.</summary>
public static class RadiographLoader
{
    private static readonly string[] PictureExtensions = [".png", ".jpg", ".jpeg"];

    /// <summary>Extensions a folder scan picks up; DICOM files often have none, so ".dcm" and no extension count.</summary>
    public static bool IsCandidate(string path)
    {
        var ext = Path.GetExtension(path);
        return ext.Length == 0 || ext.Equals(".dcm", StringComparison.OrdinalIgnoreCase)
            || PictureExtensions.Contains(ext, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Pixels only, no view check: for labelled research data whose labels already say "frontal chest".</summary>
    public static GrayImage Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return Radiograph.Load(path).Image;
        }
        catch (Dicom.Data.DicomFormatException e)
        {
            throw new ImageException(ImageError.Unreadable, $"{Path.GetFileName(path)} is neither PNG/JPEG nor readable DICOM: {e.Message}", e);
        }
    }

    /// <summary>Pixels and, for DICOM, the SOP Instance UID (empty for PNG/JPEG).</summary>
    public static (GrayImage Image, string SopInstanceUid) LoadWithUid(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var r = Radiograph.Load(path);
            var uid = r.Dataset is { } ds && ds.Contains(Dicom.Data.DicomTags.SOPInstanceUID)
                ? (ds.GetString(Dicom.Data.DicomTags.SOPInstanceUID) ?? "").Trim() : "";
            return (r.Image, uid);
        }
        catch (Dicom.Data.DicomFormatException e)
        {
            throw new ImageException(ImageError.Unreadable, $"{Path.GetFileName(path)} is neither PNG/JPEG nor readable DICOM: {e.Message}", e);
        }
    }

    /// <summary>Pixels and the frontal-chest verdict (DICOM header first, the image heuristic where it is silent); no pixels when skipped.</summary>
    public static (GrayImage? Image, ViewDecision View) LoadForClassification(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Radiograph.IsPicture(path))
        {
            var picture = ImageFile.LoadGray(path);
            var verdict = ImageViewHeuristic.Evaluate(picture);
            return (verdict.Accepted ? picture : null, verdict);
        }
        Dicom.IO.DicomFile file;
        try
        {
            file = Radiograph.OpenDicom(path);
        }
        catch (Dicom.Data.DicomFormatException e)
        {
            throw new ImageException(ImageError.Unreadable, $"{Path.GetFileName(path)} is neither PNG/JPEG nor readable DICOM: {e.Message}", e);
        }
        GrayImage? image = null;
        var decision = FrontalChestFilter.Decide(file.Dataset, () => image = Radiograph.FromDicom(file).Image);
        if (decision.Accepted)
        {
            image ??= Radiograph.FromDicom(file).Image;
        }
        return (decision.Accepted ? image : null, decision);
    }
}
