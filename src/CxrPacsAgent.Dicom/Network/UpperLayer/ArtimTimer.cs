namespace CxrPacsAgent.Dicom.Network.UpperLayer;

/// <summary>
/// The Association Request/Reject/Release Timer (PS3.8 9.1.5): bounds how long a connection may wait for an
/// A-ASSOCIATE-RQ, or for the peer to close after a reject, release or abort. Expiry is Evt18; the callback runs on a
/// timer thread and must only signal (e.g. cancel a pending read).
/// </summary>
public sealed class ArtimTimer : IDisposable
{
    private readonly DeadlineTimer timer;

    public ArtimTimer(TimeSpan timeout, Action onExpired, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        Timeout = timeout;
        timer = new DeadlineTimer(onExpired, timeProvider);
    }

    public TimeSpan Timeout { get; }

    public bool IsRunning => timer.IsRunning;

    /// <summary>Set once the timer ran out (Evt18); cleared by the next start.</summary>
    public bool HasExpired => timer.HasExpired;

    /// <summary>Starts the timer, or restarts it if it is running (AA-1).</summary>
    public void Start() => timer.Start(Timeout);

    public void Stop() => timer.Stop();

    public void Dispose() => timer.Dispose();
}
