namespace CxrPacsAgent.Retrieval.Index;

/// <summary>A search of the library: the model that made <see cref="Embedding"/>, how many neighbours, and what to leave out.</summary>
public sealed record SimilarityQuery
{
    public SimilarityQuery(ModelIdentity model, float[] embedding)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Embedding = embedding ?? throw new ArgumentNullException(nameof(embedding));
    }

    /// <summary>Must be the index's model: embeddings of different models are not comparable.</summary>
    public ModelIdentity Model { get; }

#pragma warning disable CA1819 // Handed over once per query.
    public float[] Embedding { get; }
#pragma warning restore CA1819

    /// <summary>Neighbours wanted. Default 4, the paper's k.</summary>
    public int K { get; init; } = 4;

    /// <summary>Leave out this study's own images (the study being read is not its own precedent).</summary>
    public string? ExcludeStudyInstanceUid { get; init; }

    /// <summary>Leave out every image of this patient (a <see cref="Patients.PatientIdHasher"/> key).</summary>
    public string? ExcludePatientKey { get; init; }

    /// <summary>Fetch each neighbour's thumbnail too (for the Secondary Capture).</summary>
    public bool IncludeThumbnails { get; init; }
}
