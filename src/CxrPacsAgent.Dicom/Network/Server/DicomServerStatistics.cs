using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Dimse;

namespace CxrPacsAgent.Dicom.Network.Server;

/// <summary>
/// Counters of a running server, for health checks, metrics and tests: totals, and failures by their reason
/// (<see cref="AssociationFailure"/>, <see cref="AssociationRejection"/>, <see cref="DimseViolation"/>).
/// </summary>
public sealed class DicomServerStatistics
{
    private readonly long[] failures = new long[Enum.GetValues<AssociationFailure>().Length];
    private readonly long[] rejections = new long[Enum.GetValues<AssociationRejection>().Length];
    private readonly long[] violations = new long[Enum.GetValues<DimseViolation>().Length];
    private long connections;
    private long associationsAccepted;
    private long associationsAborted;
    private long instancesStored;
    private long storesFailed;
    private long echoes;

    public long Connections => Interlocked.Read(ref connections);

    public long AssociationsAccepted => Interlocked.Read(ref associationsAccepted);

    /// <summary>A-ASSOCIATE-RJ sent, for any <see cref="AssociationRejection"/>.</summary>
    public long AssociationsRejected
    {
        get
        {
            long total = 0;
            for (var i = 0; i < rejections.Length; i++)
            {
                total += Interlocked.Read(ref rejections[i]);
            }
            return total;
        }
    }

    /// <summary>
    /// Accepted associations that ended by A-ABORT (either side), a timeout or a lost connection rather than a release.
    /// </summary>
    public long AssociationsAborted => Interlocked.Read(ref associationsAborted);

    public long InstancesStored => Interlocked.Read(ref instancesStored);

    public long StoresFailed => Interlocked.Read(ref storesFailed);

    public long Echoes => Interlocked.Read(ref echoes);

    /// <summary>Connections and associations that ended with <paramref name="failure"/>.</summary>
    public long Count(AssociationFailure failure) => Interlocked.Read(ref failures[(int)failure]);

    /// <summary>A-ASSOCIATE-RQs rejected for <paramref name="rejection"/>.</summary>
    public long Count(AssociationRejection rejection) => Interlocked.Read(ref rejections[(int)rejection]);

    /// <summary>Associations aborted for <paramref name="violation"/>.</summary>
    public long Count(DimseViolation violation) => Interlocked.Read(ref violations[(int)violation]);

    internal void Connection() => Interlocked.Increment(ref connections);

    internal void Accepted() => Interlocked.Increment(ref associationsAccepted);

    internal void Rejected(AssociationRejection rejection)
    {
        Interlocked.Increment(ref rejections[(int)rejection]);
        Interlocked.Increment(ref failures[(int)AssociationFailure.Rejected]);
    }

    /// <summary>A connection that never became an association ended (closed at once, timed out, invalid PDU, TLS).</summary>
    internal void ConnectionFailed(AssociationFailure failure) => Interlocked.Increment(ref failures[(int)failure]);

    /// <summary>An accepted association ended abnormally.</summary>
    internal void Aborted(AssociationFailure failure, DimseViolation violation = DimseViolation.None)
    {
        Interlocked.Increment(ref associationsAborted);
        Interlocked.Increment(ref failures[(int)failure]);
        if (violation != DimseViolation.None)
        {
            Interlocked.Increment(ref violations[(int)violation]);
        }
    }

    internal void Stored() => Interlocked.Increment(ref instancesStored);

    internal void StoreFailed() => Interlocked.Increment(ref storesFailed);

    internal void Echo() => Interlocked.Increment(ref echoes);
}
