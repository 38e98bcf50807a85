namespace CxrPacsAgent.Inference.Monitoring;

/// <summary>
/// One instance the service (or <c>classify</c>, or <c>evaluate</c>) handled, as drift monitoring sees it: skipped by the
/// view filter or unreadable, or scored with its calibrated probability and OOD flag.
/// </summary>
public sealed record ResultObservation(double? Probability, bool OutOfDistribution, bool Skipped)
{
    public static ResultObservation Scored(double probability, bool outOfDistribution) => new(probability, outOfDistribution, false);

    public static ResultObservation SkippedInstance { get; } = new(null, false, true);
}
