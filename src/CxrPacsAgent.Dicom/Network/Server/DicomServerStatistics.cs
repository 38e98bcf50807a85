namespace CxrPacsAgent.Dicom.Network.Server;

/// <summary>Counters of a running server, for health checks, metrics and tests.</summary>
public sealed class DicomServerStatistics
{
    private long connections;
    private long associationsAccepted;
    private long associationsRejected;
    private long associationsAborted;
    private long instancesStored;
    private long storesFailed;
    private long echoes;

    public long Connections => Interlocked.Read(ref connections);

    public long AssociationsAccepted => Interlocked.Read(ref associationsAccepted);

    public long AssociationsRejected => Interlocked.Read(ref associationsRejected);

    /// <summary>Associations that ended by A-ABORT or a lost connection rather than a release.</summary>
    public long AssociationsAborted => Interlocked.Read(ref associationsAborted);

    public long InstancesStored => Interlocked.Read(ref instancesStored);

    public long StoresFailed => Interlocked.Read(ref storesFailed);

    public long Echoes => Interlocked.Read(ref echoes);

    internal void Connection() => Interlocked.Increment(ref connections);

    internal void Accepted() => Interlocked.Increment(ref associationsAccepted);

    internal void Rejected() => Interlocked.Increment(ref associationsRejected);

    internal void Aborted() => Interlocked.Increment(ref associationsAborted);

    internal void Stored() => Interlocked.Increment(ref instancesStored);

    internal void StoreFailed() => Interlocked.Increment(ref storesFailed);

    internal void Echo() => Interlocked.Increment(ref echoes);
}
