namespace CxrPacsAgent.Retrieval.Vectors;

/// <summary>A search hit: the key a vector was added under and its cosine similarity to the query (1 = same direction).</summary>
public readonly record struct Neighbor(ulong Key, float Similarity);
