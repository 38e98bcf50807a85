using System.Data.Common;

namespace CxrPacsAgent.Worker.State.Sql;

/// <summary>
/// The admin sign-in lockout's records: <c>sign_in_failures</c> (one row per failed sign-in and subject) and
/// <c>sign_in_lockouts</c> (one row per subject with recent failures, its lockout's end, 0 when none). A failure or a
/// success first upserts its subjects' rows in one order: on PostgreSQL that holds each row's lock until commit, so
/// agents counting the same subject at once take turns, every failure is counted and none waits for another in a
/// circle (SQLite's writers take turns anyway). Forgetting, after the commit, skips the rows someone holds.
/// </summary>
public abstract partial class SqlStateStore
{
    public async Task<DateTimeOffset?> SignInLockedUntilAsync(IReadOnlyList<string> subjects, CancellationToken cancellationToken = default)
    {
        var (list, parameters) = InList(subjects);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var until = await ScalarAsync(connection, null, $"SELECT MAX(locked_until) FROM sign_in_lockouts WHERE subject IN ({list})",
            cancellationToken, parameters).ConfigureAwait(false);
        return until is { } ms ? Time(ms) : null;
    }

    public async Task<bool> RecordSignInFailureAsync(SignInFailure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var since = failure.CountSince.ToUnixTimeMilliseconds();
        var now = failure.At.ToUnixTimeMilliseconds();
        var locked = false;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var subject in await HoldSubjectsAsync(connection, transaction, failure.Subjects, cancellationToken).ConfigureAwait(false))
            {
                await ExecuteAsync(connection, transaction, "INSERT INTO sign_in_failures (subject, at) VALUES (@subject, @at)",
                    cancellationToken, ("subject", subject), ("at", now)).ConfigureAwait(false);
                var failures = await ScalarAsync(connection, transaction,
                    "SELECT COUNT(*) FROM sign_in_failures WHERE subject = @subject AND at > @since",
                    cancellationToken, ("subject", subject), ("since", since)).ConfigureAwait(false);
                if (failures >= failure.LockAfter)
                {
                    // Locked: the counted failures are spent, so the count starts afresh when the lockout ends.
                    await ExecuteAsync(connection, transaction, """
                        UPDATE sign_in_lockouts SET locked_until = @until WHERE subject = @subject;
                        DELETE FROM sign_in_failures WHERE subject = @subject AND at > @since;
                        """, cancellationToken, ("subject", subject), ("since", since),
                        ("until", failure.LockUntil.ToUnixTimeMilliseconds())).ConfigureAwait(false);
                    locked = true;
                }
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        await ForgetAsync(connection, since, now, failure.MaxSubjects, cancellationToken).ConfigureAwait(false);
        return locked;
    }

    public async Task ClearSignInFailuresAsync(IReadOnlyList<string> subjects, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var (list, parameters) = InList(subjects);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await HoldSubjectsAsync(connection, transaction, subjects, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"""
            DELETE FROM sign_in_failures WHERE subject IN ({list});
            DELETE FROM sign_in_lockouts WHERE subject IN ({list}) AND locked_until <= @now;
            """, cancellationToken, [.. parameters, ("now", now.ToUnixTimeMilliseconds())]).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes sure each subject has its row and holds them, in ordinal order; returns them in that order.</summary>
    private async Task<string[]> HoldSubjectsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> subjects,
        CancellationToken cancellationToken)
    {
        var ordered = subjects.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        foreach (var subject in ordered)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO sign_in_lockouts (subject, locked_until) VALUES (@subject, 0)
                ON CONFLICT (subject) DO UPDATE SET locked_until = sign_in_lockouts.locked_until
                """, cancellationToken, ("subject", subject)).ConfigureAwait(false);
        }
        return ordered;
    }

    /// <summary>
    /// Deletes failures no longer counted, then subjects neither locked out nor failing; if more than
    /// <paramref name="maxSubjects"/> remain, every subject not locked out with its failures.
    /// </summary>
    private async Task ForgetAsync(DbConnection connection, long since, long now, int maxSubjects, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, $"""
            DELETE FROM sign_in_failures WHERE id IN (SELECT id FROM sign_in_failures WHERE at <= @since{SkipLocked});
            DELETE FROM sign_in_lockouts WHERE subject IN (SELECT subject FROM sign_in_lockouts WHERE locked_until <= @now
                AND NOT EXISTS (SELECT 1 FROM sign_in_failures f WHERE f.subject = sign_in_lockouts.subject){SkipLocked});
            """, cancellationToken, ("since", since), ("now", now)).ConfigureAwait(false);
        if (await ScalarAsync(connection, null, "SELECT COUNT(*) FROM sign_in_lockouts", cancellationToken).ConfigureAwait(false) > maxSubjects)
        {
            // A flood of names or addresses: every subject not locked out is forgiven, so the tables stay small.
            await ExecuteAsync(connection, null, $"""
                DELETE FROM sign_in_failures WHERE id IN (SELECT f.id FROM sign_in_failures f JOIN sign_in_lockouts l ON l.subject = f.subject
                    WHERE l.locked_until <= @now{SkipLocked});
                DELETE FROM sign_in_lockouts WHERE subject IN (SELECT subject FROM sign_in_lockouts WHERE locked_until <= @now{SkipLocked});
                """, cancellationToken, ("now", now)).ConfigureAwait(false);
        }
    }

    /// <summary><c>@s0, @s1, …</c> for an IN list, and their parameters.</summary>
    private static (string List, (string Name, object? Value)[] Parameters) InList(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        var parameters = values.Select((v, i) => ($"s{i}", (object?)v)).ToArray();
        return (string.Join(", ", parameters.Select(p => "@" + p.Item1)), parameters);
    }
}
