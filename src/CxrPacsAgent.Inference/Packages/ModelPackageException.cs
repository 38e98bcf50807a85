namespace CxrPacsAgent.Inference.Packages;

/// <summary>A model package that cannot be used; the message names the package and the problem.</summary>
public sealed class ModelPackageException : Exception
{
    public ModelPackageException() { }

    public ModelPackageException(string message) : base(message) { }

    public ModelPackageException(string message, Exception inner) : base(message, inner) { }

    public ModelPackageException(ModelPackageError error, string package, string problem, Exception? inner = null)
        : base($"model package '{package}': {problem}", inner)
    {
        Error = error;
        Package = package;
    }

    public ModelPackageError Error { get; }

    public string Package { get; } = "";
}
