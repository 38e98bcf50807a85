namespace CxrPacsAgent.Retrieval;

/// <summary>
/// The model that made an embedding: the name and version of its package manifest. Embeddings of different models
/// live in different spaces and never mix: every index, entry and query names its model.
/// </summary>
public sealed record ModelIdentity
{
    public ModelIdentity(string name, string version)
    {
        Name = Require(name, nameof(name));
        Version = Require(version, nameof(version));
    }

    public string Name { get; }

    public string Version { get; }

    /// <summary>"name version", as logs and the command line show it.</summary>
    public override string ToString() => $"{Name} {Version}";

    /// <summary>"name-version" with anything but letters, digits, '.', '-' and '_' replaced: safe as a file name.</summary>
    public string FileStem => new([.. $"{Name}-{Version}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]);

    private static string Require(string value, string parameter)
    {
        ArgumentNullException.ThrowIfNull(value, parameter);
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("A model identity needs a non-empty name and version.", parameter);
        }
        return trimmed;
    }
}
