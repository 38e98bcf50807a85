namespace CxrPacsAgent.Retrieval.Storage;

/// <summary>A model registered in a store: its row id there and the dimensions every embedding of it must have.</summary>
public sealed record StoredModel(long Id, ModelIdentity Identity, int Dimensions);
