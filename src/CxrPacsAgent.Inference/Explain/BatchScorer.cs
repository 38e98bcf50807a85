namespace CxrPacsAgent.Inference.Explain;

/// <summary>Scores <paramref name="batch"/> model inputs (NCHW, normalised, as the model takes them): one score each.</summary>
public delegate float[] BatchScorer(float[] input, int batch);
