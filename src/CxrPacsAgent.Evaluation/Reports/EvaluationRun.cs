using CxrPacsAgent.Evaluation.Metrics;

namespace CxrPacsAgent.Evaluation.Reports;

/// <summary>One evaluation: the scored and skipped images, the summary, the lungs-masked audit's, and the subgroup table.</summary>
public sealed record EvaluationRun(
    string DataDescription,
    IReadOnlyList<ScoredImage> Images,
    IReadOnlyList<SkippedImage> Skipped,
    EvaluationSummary Summary,
    EvaluationSummary? LungsMasked,
    IReadOnlyList<SubgroupRow> Subgroups);
