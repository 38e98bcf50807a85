using CxrPacsAgent.Inference.Tests.TestSupport;

namespace CxrPacsAgent.Evaluation.Tests.Training;

/// <summary>Runs the Python toolkit's own unit tests (training/tests) so that `dotnet test` covers them too.</summary>
public sealed class ToolkitUnitTests
{
    [Fact]
    public void Python_toolkit_unit_tests_pass()
    {
        var (code, output) = Repository.Python(TimeSpan.FromMinutes(2), "-m", "unittest", "discover", "-s", "tests", "-t", ".");
        Assert.True(code == 0, output);
        Assert.Contains("OK", output, StringComparison.Ordinal);
    }
}
