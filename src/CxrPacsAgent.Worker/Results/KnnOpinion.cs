namespace CxrPacsAgent.Worker.Results;

/// <summary>The k-nearest-neighbour second opinion: of <paramref name="Neighbours"/> similar cases, how many carry the finding.</summary>
public sealed record KnnOpinion(int Neighbours, int WithFinding)
{
    /// <summary>Share of neighbours with the finding, in [0,1].</summary>
    public double Fraction => Neighbours == 0 ? 0 : (double)WithFinding / Neighbours;

    /// <summary>The majority's call; null on a tie (no majority) or without neighbours.</summary>
    public bool? Call => Neighbours == 0 || 2 * WithFinding == Neighbours ? null : 2 * WithFinding > Neighbours;

    public KnnOpinion Validate() => Neighbours < 0 || WithFinding < 0 || WithFinding > Neighbours
        ? throw new ArgumentException($"{WithFinding} of {Neighbours} neighbours is not a k-NN vote")
        : this;
}
