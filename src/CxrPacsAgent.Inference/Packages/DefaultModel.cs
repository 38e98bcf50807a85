namespace CxrPacsAgent.Inference.Packages;

/// <summary>The package shipped in models/ and copied beside the binaries.</summary>
public static class DefaultModel
{
    public const string Name = "cxr-pneumonia-resnet18";

    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "models", Name);
}
