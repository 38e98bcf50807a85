namespace CxrPacsAgent.Worker.Hosting;

/// <summary>Where the agent keeps its state (section <c>Storage</c>): everything lives under <see cref="Root"/>.</summary>
public sealed class StorageOptions : IValidatedOptions
{
    public const string Section = "Storage";

    /// <summary>The data folder; relative paths are taken from the working directory.</summary>
    public string Root { get; set; } = "data";

    /// <summary>Below this much free space under <see cref="Root"/> a C-STORE is answered A700 (out of resources) before its data arrives.</summary>
    public int MinimumFreeSpaceMb { get; set; } = 64;

    public IEnumerable<string> Validate()
    {
        return new[]
        {
            OptionChecks.Required("Storage:Root", Root),
            OptionChecks.Range("Storage:MinimumFreeSpaceMb", MinimumFreeSpaceMb, 0, 1024 * 1024),
        }.OfType<string>();
    }
}
