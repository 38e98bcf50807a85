using System.Net;
using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Network.Acse;

/// <summary>
/// An established association as both sides agreed it (PS3.8 7.1): who is talking, the accepted presentation
/// contexts and the peer's limits. Identifies the association in logs without any patient data.
/// </summary>
public sealed class Association
{
    private static long lastId;

    public Association(AssociateRequest request, AssociateAccept accept, IPEndPoint? remoteEndPoint, bool isRequestor)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(accept);
        Id = Interlocked.Increment(ref lastId);
        CallingAeTitle = request.CallingAeTitle;
        CalledAeTitle = request.CalledAeTitle;
        RemoteEndPoint = remoteEndPoint;
        IsRequestor = isRequestor;
        var peer = isRequestor ? accept.UserInformation : request.UserInformation;
        PeerMaxPduLength = peer.MaximumLength ?? 0;
        PeerImplementationClassUid = peer.ImplementationClassUid;
        PeerImplementationVersionName = peer.ImplementationVersionName;
        UserIdentityType = request.UserInformation.UserIdentity?.IdentityType;
        // An ID used twice (refused by the PDU reader, but possible in a request built in code) counts once.
        var proposed = request.PresentationContexts.DistinctBy(pc => pc.Id).ToDictionary(pc => pc.Id);
        PresentationContexts = accept.PresentationContexts
            .Where(pc => pc.IsAccepted && proposed.ContainsKey(pc.Id))
            .DistinctBy(pc => pc.Id)
            .ToDictionary(pc => pc.Id, pc => new PresentationContext(pc.Id, proposed[pc.Id].AbstractSyntax, pc.TransferSyntax));
    }

    /// <summary>A process-wide sequence number for logs.</summary>
    public long Id { get; }

    public string CallingAeTitle { get; }

    public string CalledAeTitle { get; }

    public IPEndPoint? RemoteEndPoint { get; }

    public bool IsRequestor { get; }

    public uint PeerMaxPduLength { get; }

    public string? PeerImplementationClassUid { get; }

    public string? PeerImplementationVersionName { get; }

    /// <summary>The kind of credential the requestor offered, never the credential itself.</summary>
    public UserIdentityType? UserIdentityType { get; }

    public IReadOnlyDictionary<byte, PresentationContext> PresentationContexts { get; }

    public override string ToString() => $"#{Id} {PeerText.Sanitize(CallingAeTitle)}->{PeerText.Sanitize(CalledAeTitle)} ({RemoteEndPoint})";
}
