using System.Reflection;

namespace CxrPacsAgent.Imaging.Tests.TestSupport;

/// <summary>Finds ../shared/data beside the repository (from the RepositoryRoot metadata tests/Directory.Build.props sets).</summary>
internal static class TestData
{
    public static string RepositoryRoot { get; } = typeof(TestData).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string SharedData { get; } = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "shared", "data"));

    public static string Path(params string[] parts) => System.IO.Path.Combine([SharedData, .. parts]);

    public static IEnumerable<string> AdultSamples() =>
        Directory.GetFiles(Path("adult-cxr-samples"), "*.png").Order(StringComparer.Ordinal);
}
