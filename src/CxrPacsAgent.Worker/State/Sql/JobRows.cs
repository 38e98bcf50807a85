using System.Runtime.InteropServices;
using System.Data.Common;

namespace CxrPacsAgent.Worker.State.Sql;

/// <summary>Reads <see cref="JobRecord"/>s from rows selected with <see cref="Columns"/> (SQLite's and PostgreSQL's alike: flags are integers in one, booleans in the other).</summary>
internal static class JobRows
{
    public const string Columns =
        "id, version, sop_instance_uid, sop_class_uid, transfer_syntax_uid, spool_file, state, received_at, updated_at, "
        + "times_received, reason, detail, score, label, threshold, model, model_version, embedding, lossy_source, similar_studies, "
        + "calibrated, ood_distance, ood_threshold, scored_at, reported_at, accession_key";

    public static JobRecord Read(DbDataReader r)
    {
        ScoreRecord? score = r.IsDBNull(12) ? null : new ScoreRecord(
            r.GetFloat(12),
            r.IsDBNull(13) ? null : r.GetString(13),
            r.GetDouble(14),
            r.GetString(15),
            r.GetString(16),
            FromBlob((byte[])r.GetValue(17)),
            Flag(r, 18))
        {
            Calibrated = !r.IsDBNull(20) && Flag(r, 20),
            OodDistance = r.IsDBNull(21) ? null : r.GetDouble(21),
            OodThreshold = r.IsDBNull(22) ? null : r.GetDouble(22),
        };
        return new JobRecord(
            new JobRef(r.GetInt64(0), r.GetInt32(1)),
            r.GetString(2),
            r.GetString(3),
            r.GetString(4),
            r.GetString(5),
            (JobState)r.GetInt32(6),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
            r.GetInt32(9))
        {
            Reason = r.IsDBNull(10) ? null : r.GetString(10),
            Detail = r.IsDBNull(11) ? null : r.GetString(11),
            Score = score,
            SimilarStudies = r.IsDBNull(19) ? null : r.GetString(19),
            ScoredAt = r.IsDBNull(23) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(23)),
            ReportedAt = r.IsDBNull(24) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(24)),
            AccessionKey = r.IsDBNull(25) ? null : r.GetString(25),
        };
    }

    private static bool Flag(DbDataReader r, int column) => Convert.ToBoolean(r.GetValue(column), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Embeddings are stored as little-endian float32 bytes.</summary>
    public static byte[] ToBlob(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    public static float[] FromBlob(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
