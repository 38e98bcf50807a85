using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace CxrPacsAgent.Worker.State.Sqlite;

/// <summary>Reads <see cref="JobRecord"/>s from rows selected with <see cref="Columns"/>.</summary>
internal static class JobRows
{
    public const string Columns =
        "id, version, sop_instance_uid, sop_class_uid, transfer_syntax_uid, spool_file, state, received_at, updated_at, "
        + "times_received, reason, detail, score, label, threshold, model, model_version, embedding, lossy_source, similar_studies, "
        + "calibrated, ood_distance, ood_threshold";

    public static JobRecord Read(SqliteDataReader r)
    {
        ScoreRecord? score = r.IsDBNull(12) ? null : new ScoreRecord(
            r.GetFloat(12),
            r.IsDBNull(13) ? null : r.GetString(13),
            r.GetDouble(14),
            r.GetString(15),
            r.GetString(16),
            FromBlob((byte[])r.GetValue(17)),
            r.GetInt64(18) != 0)
        {
            Calibrated = !r.IsDBNull(20) && r.GetInt64(20) != 0,
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
        };
    }

    /// <summary>Embeddings are stored as little-endian float32 bytes.</summary>
    public static byte[] ToBlob(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    public static float[] FromBlob(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
