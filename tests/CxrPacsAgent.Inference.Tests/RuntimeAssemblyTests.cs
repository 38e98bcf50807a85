using CxrPacsAgent.Inference.Runtime;

namespace CxrPacsAgent.Inference.Tests;

/// <summary>The runtime assemblies the service loads carry no research dependencies (plots live in CxrPacsAgent.Evaluation).</summary>
public sealed class RuntimeAssemblyTests
{
    [Theory]
    [InlineData(typeof(CxrModel), "Microsoft.ML.OnnxRuntime")]
    [InlineData(typeof(Imaging.GrayImage), "CxrPacsAgent.Dicom")]
    public void Runtime_assemblies_do_not_reference_ScottPlot(Type type, string expectedReference)
    {
        var references = type.Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToArray();
        Assert.Contains(expectedReference, references);
        Assert.DoesNotContain(references, n => n.StartsWith("ScottPlot", StringComparison.Ordinal));
    }
}
