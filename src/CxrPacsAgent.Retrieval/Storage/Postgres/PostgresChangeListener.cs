using Npgsql;

namespace CxrPacsAgent.Retrieval.Storage.Postgres;

/// <summary>
/// Tells an index when another agent committed library rows: LISTENs on the store's channel over a connection of its
/// own and calls <c>changed</c> (typically <see cref="Index.EmbeddingIndex.CatchUpAsync"/>) for each notification. A
/// notification only says "look now": what to read comes from the watermark, so one lost while the connection was down
/// costs nothing — after every (re)connection the callback runs once anyway, and searches catch up on their own every
/// <see cref="Index.EmbeddingIndexOptions.RefreshInterval"/>.
/// </summary>
public sealed class PostgresChangeListener : IAsyncDisposable
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);
    private readonly string connectionString;
    private readonly Func<CancellationToken, Task> changed;
    private readonly Action<Exception>? onError;
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task loop;

    /// <param name="onError">Told of each failure (connection lost, callback failed); the listener carries on.</param>
    public PostgresChangeListener(string connectionString, Func<CancellationToken, Task> changed, Action<Exception>? onError = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        this.connectionString = connectionString;
        this.changed = changed ?? throw new ArgumentNullException(nameof(changed));
        this.onError = onError;
        loop = Task.Run(() => RunAsync(stop.Token));
    }

    /// <summary>Completes when the listener is LISTENing (the first time); for tests and start-up ordering.</summary>
    public Task Listening => listening.Task;

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var pending = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, _) => Interlocked.Exchange(ref pending, 1);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresSchema.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                listening.TrySetResult();
                // Whatever was committed while not listening.
                await changed(cancellationToken).ConfigureAwait(false);
                while (!cancellationToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                    // Several notifications of one burst make one catch-up.
                    if (Interlocked.Exchange(ref pending, 0) == 1)
                    {
                        await changed(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or RetrievalException or IOException or TimeoutException)
            {
                onError?.Invoke(e);
                try
                {
                    await Task.Delay(ReconnectDelay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stop.Dispose();
    }
}
