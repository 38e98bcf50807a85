namespace CxrPacsAgent.Inference.Packages;

/// <summary>The packages shipped in models/ and copied beside the binaries (models/NAME).</summary>
public static class ShippedModels
{
    /// <summary>Pneumonia vs "no finding" on adult frontal films (NIH ChestX-ray14); the default.</summary>
    public const string Adult = "cxr-pneumonia-adult-resnet18";

    /// <summary>Pneumonia vs normal on children's films (Kermany).</summary>
    public const string Pediatric = "cxr-pneumonia-resnet18";

    public static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "models", name);
}
