namespace CxrPacsAgent.Retrieval;

/// <summary>
/// The truth a site knows about an entry and where it comes from (e.g. "PNEUMONIA", "RT-PCR confirmed"); it outranks
/// the model's own call in the k-NN vote.
/// </summary>
public sealed record ReferenceLabel
{
    public ReferenceLabel(string label, string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        Label = label.Trim();
        Source = source.Trim();
    }

    public string Label { get; }

    public string Source { get; }
}
