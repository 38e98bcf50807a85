namespace CxrPacsAgent.Inference.Monitoring;

/// <summary>When drift analysis calls a change "moved".</summary>
public sealed record DriftThresholds
{
    /// <summary>Population stability index of the score distribution at or above which it moved (0.1–0.25: some change; ≥ 0.25: a shift, by the usual rule).</summary>
    public double PsiMoved { get; init; } = 0.25;

    /// <summary>A rate (OOD, skipped) moved when it rose by at least <see cref="RateMinIncrease"/> and this many standard errors.</summary>
    public double RateZ { get; init; } = 3;

    /// <inheritdoc cref="RateZ"/>
    public double RateMinIncrease { get; init; } = 0.02;

    /// <summary>Fewer results than this are too few to judge.</summary>
    public int MinResults { get; init; } = 50;
}
