namespace CxrPacsAgent.Retrieval.Tests.TestSupport;

/// <summary>Library entries for tests: UIDs under a test root, one study per entry unless told otherwise.</summary>
internal static class Entries
{
    public static readonly ModelIdentity Model = new("cxr-test-model", "1.0.0");

    public static string Uid(string kind, long i) => $"1.2.826.0.1.3680043.10.1234.{kind}.{i}";

    /// <summary>A patient key as the service makes one (stores refuse anything but a hash).</summary>
    public static string PatientKey(string patientId) => new CxrPacsAgent.Retrieval.Patients.PatientIdHasher(new byte[32]).Hash(patientId)!;

    public static LibraryEntry Make(long i, float[] embedding, ModelIdentity? model = null, long? study = null, string? patientKey = null,
        string? modelLabel = "NORMAL", ReferenceLabel? reference = null, float score = 0.25f) => new()
        {
            Model = model ?? Model,
            SopInstanceUid = Uid("1", i),
            SeriesInstanceUid = Uid("2", i),
            StudyInstanceUid = Uid("3", study ?? i),
            PatientKey = patientKey,
            Score = score,
            ModelLabel = modelLabel,
            Reference = reference,
            Embedding = embedding,
        };
}
