namespace CxrPacsAgent.Retrieval.Storage;

/// <summary>The statements the SQLite and PostgreSQL library stores share word for word (their tables are alike).</summary>
internal static class LibrarySql
{
    /// <summary>A <see cref="LibraryRecord"/>'s columns, over <c>retrieval_entries e</c> joined to <c>retrieval_models m</c>.</summary>
    public const string RecordColumns = """
        e.id, m.name, m.version, e.sop_instance_uid, e.series_instance_uid, e.study_instance_uid, e.accession_number,
        e.patient_key, e.acquired_at, e.view_position, e.score, e.model_label, e.reference_label, e.reference_source, e.added_at,
        e.sop_class_uid
        """;

    /// <summary>The columns <see cref="RecordColumns"/> selects; what a query adds after them starts here.</summary>
    public const int RecordColumnCount = 16;

    /// <summary>Entries read per query when every entry of a model is read.</summary>
    public const int PageSize = 256;

    /// <summary>Each model with its entries, labelled entries and image bytes (<see cref="ModelSummary"/>).</summary>
    public const string Summaries = """
        SELECT m.id, m.name, m.version, m.dimensions,
               (SELECT count(*) FROM retrieval_entries e WHERE e.model_id = m.id),
               (SELECT count(*) FROM retrieval_entries e WHERE e.model_id = m.id AND e.reference_label IS NOT NULL),
               (SELECT coalesce(sum(length(i.reembedding_image)), 0) FROM retrieval_images i
                    JOIN retrieval_entries e ON e.sop_instance_uid = i.sop_instance_uid WHERE e.model_id = m.id),
               (SELECT coalesce(sum(length(i.thumbnail)), 0) FROM retrieval_images i
                    JOIN retrieval_entries e ON e.sop_instance_uid = i.sop_instance_uid WHERE e.model_id = m.id)
        FROM retrieval_models m ORDER BY m.name, m.version
        """;
}
