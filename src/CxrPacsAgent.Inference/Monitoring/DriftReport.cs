namespace CxrPacsAgent.Inference.Monitoring;

/// <summary>What drift analysis found: the score distribution's shift (PSI), the OOD and skip rates, and the verdict.</summary>
public sealed record DriftReport(
    int Results,
    int Scored,
    IReadOnlyList<double> ReferenceBins,
    IReadOnlyList<double> RecentBins,
    double Psi,
    RateChange SkipRate,
    RateChange? OodRate,
    bool TooFewResults,
    IReadOnlyList<string> Reasons)
{
    /// <summary>True when any statistic crossed its threshold (and there were enough results to judge).</summary>
    public bool Moved => !TooFewResults && Reasons.Count > 0;
}
