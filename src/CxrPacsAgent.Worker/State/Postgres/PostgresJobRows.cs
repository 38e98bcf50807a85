using Npgsql;

namespace CxrPacsAgent.Worker.State.Postgres;

/// <summary>Reads <see cref="JobRecord"/>s from rows selected with <see cref="Sqlite.JobRows.Columns"/> (the same columns).</summary>
internal static class PostgresJobRows
{
    public static JobRecord Read(NpgsqlDataReader r)
    {
        ScoreRecord? score = r.IsDBNull(12) ? null : new ScoreRecord(
            r.GetFloat(12),
            r.IsDBNull(13) ? null : r.GetString(13),
            r.GetDouble(14),
            r.GetString(15),
            r.GetString(16),
            Sqlite.JobRows.FromBlob((byte[])r.GetValue(17)),
            r.GetBoolean(18))
        {
            Calibrated = !r.IsDBNull(20) && r.GetBoolean(20),
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
}
