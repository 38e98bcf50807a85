using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CxrPacsAgent.Worker.Housekeeping;

/// <summary>
/// With several agents: which one runs the site-wide housekeeping (spool clean-up, daily statistics). The leader is
/// the agent whose database session holds a session advisory lock; the server releases it the moment that session
/// ends (the agent stops, dies, or its connection breaks), and the next agent to ask becomes leader. Asked before
/// each run; the <c>cxr_agent_housekeeping_leader</c> gauge shows which agent leads.
/// </summary>
public sealed partial class HousekeepingLeader(IOptions<StateOptions> options, AgentMetrics metrics, ILogger<HousekeepingLeader> logger)
    : IAsyncDisposable
{
    /// <summary>The advisory lock key of housekeeping leadership ("cxrlead").</summary>
    public const long LeaderLock = 0x0063_7872_6c65_6164;

    private readonly SemaphoreSlim gate = new(1, 1);
    private NpgsqlConnection? session;

    /// <summary>True when this agent leads: it held the lock already and its session is alive, or it just took it.</summary>
    public async Task<bool> IsLeaderAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var leads = session is not null ? await StillHeldAsync(cancellationToken).ConfigureAwait(false) : await TryTakeAsync(cancellationToken).ConfigureAwait(false);
            metrics.HousekeepingLeader.Set(leads ? 1 : 0);
            return leads;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<bool> StillHeldAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT 1", session);
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NpgsqlException e)
        {
            // The session is gone, and the lock with it: another agent may lead already.
            LogLost(e.Message);
            await DropSessionAsync().ConfigureAwait(false);
            return await TryTakeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> TryTakeAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(options.Value.ConnectionString)
        {
            // Its own session, outside the pool, and a broken link noticed by the server within a minute.
            Pooling = false,
            KeepAlive = 15,
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LeaderLock})", connection);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                session = connection;
                LogLeading();
                return true;
            }
        }
        catch (NpgsqlException e)
        {
            LogLost(e.Message);
        }
        await connection.DisposeAsync().ConfigureAwait(false);
        return false;
    }

    private async Task DropSessionAsync()
    {
        if (session is not null)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            session = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DropSessionAsync().ConfigureAwait(false);
        gate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This agent now runs the site's housekeeping")]
    private partial void LogLeading();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Housekeeping leadership unavailable: {Error}")]
    private partial void LogLost(string error);
}
