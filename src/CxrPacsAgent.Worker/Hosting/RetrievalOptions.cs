using CxrPacsAgent.Retrieval.Patients;

namespace CxrPacsAgent.Worker.Hosting;

/// <summary>Similar earlier studies and the k-NN second opinion (section <c>Retrieval</c>).</summary>
public sealed class RetrievalOptions : IValidatedOptions
{
    public const string Section = "Retrieval";

    /// <summary><see cref="Search"/>: each agent's own index, in memory, derived from the library's rows.</summary>
    public const string IndexSearch = "index";

    /// <summary><see cref="Search"/>: pgvector inside the shared PostgreSQL database (State:Provider = postgresql).</summary>
    public const string PgvectorSearch = "pgvector";

    /// <summary>Search the library for each scored image and add it to the library.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Neighbours per study: the similar cases shown and the votes of the second opinion (the paper's k = 4).</summary>
    public int K { get; set; } = 4;

    /// <summary>Leave the patient's own earlier images out (they would vote for themselves).</summary>
    public bool ExcludeSamePatient { get; set; } = true;

    /// <summary>What searches the library: <c>index</c> (default) or <c>pgvector</c>.</summary>
    public string Search { get; set; } = IndexSearch;

    public bool UsesPgvector => string.Equals(Search, PgvectorSearch, StringComparison.OrdinalIgnoreCase);

    /// <summary>Library size up to which the search is exact; an HNSW graph beyond it.</summary>
    public int ExactSearchLimit { get; set; } = 20_000;

    /// <summary>The site's patient-id salt; empty: <c>patient-id.salt</c> beside the state database, made on first use.</summary>
    public string SaltFile { get; set; } = "";

    /// <summary>The salt file in use: <see cref="SaltFile"/>, or the default beside the state database.</summary>
    public string SaltPath(AgentPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return SaltFile.Length > 0 ? Path.GetFullPath(SaltFile) : Path.Combine(paths.StateFolder, PatientIdSalt.DefaultFileName);
    }

    public IEnumerable<string> Validate() => new[]
    {
        OptionChecks.Range("Retrieval:K", K, 1, 50),
        string.Equals(Search, IndexSearch, StringComparison.OrdinalIgnoreCase) || UsesPgvector ? null
            : $"Retrieval:Search: '{Search}' is not a search engine (index or pgvector)",
        OptionChecks.Range("Retrieval:ExactSearchLimit", ExactSearchLimit, 0, 10_000_000),
    }.OfType<string>();
}
