using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Inference.Runtime;

namespace CxrPacsAgent.Evaluation.Scoring;

/// <summary>
/// One labels.csv row after the service's path: its prediction (and the lungs-masked audit's, and the features that
/// fed the last graph, when asked for), or why it was not scored — a view-filter <see cref="SkipReason"/> name or an
/// image error name, with the message.
/// </summary>
public sealed record ScoredRow(LabeledImage Row, Prediction? Prediction, Prediction? Masked, float[]? Features, string? SkipReason, string? SkipMessage)
{
    public bool Scored => Prediction is not null;
}
