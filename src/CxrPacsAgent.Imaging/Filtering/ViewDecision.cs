namespace CxrPacsAgent.Imaging.Filtering;

/// <summary>The filter's verdict: accepted, or skipped with a reason and a one-line message.</summary>
public sealed record ViewDecision(SkipReason Reason, string Message)
{
    public bool Accepted => Reason == SkipReason.None;

    /// <summary>True when the header alone could not decide and the image must be looked at.</summary>
    public bool NeedsImageCheck { get; init; }

    public static ViewDecision Accept(string message) => new(SkipReason.None, message);

    public static ViewDecision Skip(SkipReason reason, string message) => new(reason, message);

    public override string ToString() => Accepted ? $"accepted: {Message}" : $"skipped ({Reason}): {Message}";
}
