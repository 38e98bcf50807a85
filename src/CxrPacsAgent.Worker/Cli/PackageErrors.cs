using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>An unusable model package is a start-up error with its own exit code and the package's own message.</summary>
internal static class PackageErrors
{
    public const int InvalidPackage = 4;

    public static int Guard(Func<int> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return action();
        }
        catch (ModelPackageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return InvalidPackage;
        }
    }
}
