namespace CxrPacsAgent.Worker.Pipeline;

/// <summary>What became of an item in a stage.</summary>
public enum StageVerdict
{
    /// <summary>Done here; on to the next stage.</summary>
    Continue,

    /// <summary>Not to be processed (not a frontal chest radiograph, …): recorded with the reason, final.</summary>
    Skip,

    /// <summary>Cannot be processed (damaged pixel data, …): recorded with the reason, final.</summary>
    Fail,

    /// <summary>A passing problem (disk full, database busy): the item is tried again after <c>Pipeline:RetryDelay</c>.</summary>
    RetryLater,

    /// <summary>A newer copy of the instance arrived meanwhile: this one is dropped; the newer one is on its way.</summary>
    Superseded,
}

/// <summary>A stage's verdict on an item, with the reason (an enum-like name) and a one-line detail.</summary>
public readonly record struct StageOutcome(StageVerdict Verdict, string? Reason = null, string? Detail = null)
{
    public static StageOutcome Continue { get; } = new(StageVerdict.Continue);

    public static StageOutcome Superseded { get; } = new(StageVerdict.Superseded);

    public static StageOutcome Skip(string reason, string detail) => new(StageVerdict.Skip, reason, detail);

    public static StageOutcome Fail(string reason, string detail) => new(StageVerdict.Fail, reason, detail);

    public static StageOutcome RetryLater(string detail) => new(StageVerdict.RetryLater, "Transient", detail);
}
