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

    /// <summary>A problem with one file of the package and one field of its model.json (both named in the message).</summary>
    public ModelPackageException(ModelPackageError error, string package, string file, string field, string problem, Exception? inner = null)
        : this(error, package, $"{file}, field '{field}': {problem}", inner)
    {
        File = file;
        Field = field;
    }

    public ModelPackageError Error { get; }

    /// <summary>The file the problem is in (model.json, or a graph), when one is.</summary>
    public string? File { get; }

    /// <summary>The model.json field at fault (e.g. <c>graphs[1].sha256</c>), when one is.</summary>
    public string? Field { get; }

    public string Package { get; } = "";
}
