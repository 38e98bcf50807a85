namespace CxrPacsAgent.Retrieval.Index;

/// <summary>An index compared with its rows, entry by entry and vector by vector (<c>index stats --verify</c>).</summary>
public sealed record ConsistencyReport(long Rows, long Indexed, IReadOnlyList<long> MissingFromIndex, IReadOnlyList<long> NotInRows,
    IReadOnlyList<long> VectorMismatches)
{
    public bool Consistent => Rows == Indexed && MissingFromIndex.Count == 0 && NotInRows.Count == 0 && VectorMismatches.Count == 0;

    public override string ToString() =>
        $"{Rows} rows, {Indexed} indexed; missing from the index: [{string.Join(", ", MissingFromIndex)}]; not in the rows: " +
        $"[{string.Join(", ", NotInRows)}]; vectors differing: [{string.Join(", ", VectorMismatches)}]";
}
