namespace CxrPacsAgent.Dicom.Network.UpperLayer;

/// <summary>
/// A one-shot timer that can be restarted and stopped without a stale expiry slipping through: each firing is checked
/// against the current deadline. The callback runs on a timer thread, so it should only signal.
/// </summary>
internal sealed class DeadlineTimer : IDisposable
{
    private readonly TimeProvider time;
    private readonly Action onExpired;
    private readonly ITimer timer;
    private readonly object gate = new();
    private DateTimeOffset? deadline;

    public DeadlineTimer(Action onExpired, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(onExpired);
        this.onExpired = onExpired;
        time = timeProvider ?? TimeProvider.System;
        timer = time.CreateTimer(_ => Elapsed(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public bool IsRunning
    {
        get { lock (gate) { return deadline is not null; } }
    }

    /// <summary>Set once the timer ran out; cleared by the next start.</summary>
    public bool HasExpired { get; private set; }

    public void Start(TimeSpan timeout)
    {
        lock (gate)
        {
            HasExpired = false;
            deadline = time.GetUtcNow() + timeout;
            timer.Change(timeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops the timer and forgets an expiry, so a late one cannot leak into the next wait.</summary>
    public void Stop()
    {
        lock (gate)
        {
            deadline = null;
            HasExpired = false;
            timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose() => timer.Dispose();

    private void Elapsed()
    {
        lock (gate)
        {
            if (deadline is not { } due)
            {
                return;
            }
            // Fired for an earlier run, or a little early: wait for the deadline that holds now.
            var early = due - time.GetUtcNow();
            if (early > TimeSpan.Zero)
            {
                timer.Change(early, Timeout.InfiniteTimeSpan);
                return;
            }
            deadline = null;
            HasExpired = true;
        }
        onExpired();
    }
}
