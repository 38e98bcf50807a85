using System.Net;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Network.Acse;

/// <summary>
/// The acceptor half of association establishment (PS3.8 7.1, PS3.7 D.3): checks the request against an
/// <see cref="AcceptorPolicy"/> and builds the A-ASSOCIATE-AC or the A-ASSOCIATE-RJ with the reason Table 9-21 gives.
/// </summary>
public static class AssociationNegotiator
{
    public static async ValueTask<AssociationDecision> NegotiateAsync(AssociateRequest request, IPAddress? remoteAddress,
        AcceptorPolicy policy, uint maxReceivePduLength, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policy);
        if (request.ApplicationContextName != ApplicationContext.Dicom)
        {
            return AssociationDecision.Rejected(AssociationRejection.ApplicationContext,
                $"application context {request.ApplicationContextName} is not the DICOM one");
        }
        // Invalid titles are refused whether or not the called title is checked: an AE title is printable ASCII
        // (PS3.8 9.3.2, PS3.5 6.2), and the AC would have to echo it.
        if (!AeTitle.IsValid(request.CalledAeTitle)
            || (policy.CheckCalledAeTitle && !string.Equals(request.CalledAeTitle, policy.AeTitle, StringComparison.Ordinal)))
        {
            return AssociationDecision.Rejected(AssociationRejection.CalledAeTitle,
                $"called AE title '{PeerText.Sanitize(request.CalledAeTitle)}' is not '{policy.AeTitle}'");
        }
        if (!AeTitle.IsValid(request.CallingAeTitle))
        {
            // All spaces ("no application name"), control characters or bytes outside ASCII (PS3.8 9.3.2, PS3.5 6.2).
            return AssociationDecision.Rejected(AssociationRejection.CallingAeTitleInvalid,
                $"calling AE title '{PeerText.Sanitize(request.CallingAeTitle)}' is not a valid AE title");
        }
        if (!await IsCallingAeAllowedAsync(request.CallingAeTitle, remoteAddress, policy, cancellationToken).ConfigureAwait(false))
        {
            return AssociationDecision.Rejected(AssociationRejection.CallingAeTitleNotAllowed,
                $"calling AE title '{request.CallingAeTitle}' from {remoteAddress} is not on the allow-list");
        }
        var identity = request.UserInformation.UserIdentity;
        if (policy.UserIdentityValidator is { } validate)
        {
            if (identity is null ? policy.RequireUserIdentity : !validate(identity))
            {
                return AssociationDecision.Rejected(AssociationRejection.UserIdentity,
                    identity is null ? "no user identity was offered" : $"the {identity.IdentityType} identity was not accepted");
            }
        }

        var accept = new AssociateAccept
        {
            ProtocolVersion = 1,
            CalledAeTitle = request.CalledAeTitle,
            CallingAeTitle = request.CallingAeTitle,
            ApplicationContextName = ApplicationContext.Dicom,
        };
        var ui = accept.UserInformation;
        ui.MaximumLength = maxReceivePduLength;
        ui.ImplementationClassUid = DicomImplementation.ClassUid;
        ui.ImplementationVersionName = DicomImplementation.VersionName;
        if (request.UserInformation.AsynchronousOperationsWindow is not null)
        {
            // We perform one operation at a time (PS3.7 D.3.3.3).
            ui.AsynchronousOperationsWindow = new AsynchronousOperationsWindow(1, 1);
        }
        if (identity is { PositiveResponseRequested: true } && policy.UserIdentityValidator is not null
            && ServerResponse(identity, policy) is { } response)
        {
            ui.UserIdentityServerResponse = response;
        }

        var roles = request.UserInformation.RoleSelections.GroupBy(r => r.SopClassUid).ToDictionary(g => g.Key, g => g.First());
        var seen = new HashSet<byte>();
        foreach (var proposal in request.PresentationContexts)
        {
            var result = !seen.Add(proposal.Id)
                ? new PresentationContextResult(proposal.Id, PresentationContextResultReason.NoReason, proposal.TransferSyntaxes[0])
                : Negotiate(proposal, policy, roles);
            accept.PresentationContexts.Add(result);
        }
        foreach (var role in roles.Values.Where(r => accept.PresentationContexts.Any(pc => pc.IsAccepted && Proposed(request, pc.Id) == r.SopClassUid)))
        {
            // We act as SCP only: the requestor keeps the SCU role it proposed.
            ui.RoleSelections.Add(new RoleSelection(role.SopClassUid, role.ScuRole, false));
        }
        foreach (var en in request.UserInformation.ExtendedNegotiations.Where(en => StorageSopClasses.IsStorage(en.SopClassUid)))
        {
            if (accept.PresentationContexts.Any(pc => pc.IsAccepted && Proposed(request, pc.Id) == en.SopClassUid))
            {
                // Level 2 (the whole object is kept), digital signatures unspecified, coercion per policy.
                byte[] info = [2, 0, 0, 0, policy.MayCoerceElements ? (byte)1 : (byte)0, 0];
                ui.ExtendedNegotiations.Add(new SopClassExtendedNegotiation(en.SopClassUid, info));
            }
        }
        var accepted = accept.PresentationContexts.Count(pc => pc.IsAccepted);
        return new AssociationDecision(accept, null, $"{accepted} of {request.PresentationContexts.Count} presentation contexts accepted");
    }

    /// <summary>Answers one proposal (PS3.8 Table 9-18 result values).</summary>
    public static PresentationContextResult Negotiate(PresentationContextProposal proposal, AcceptorPolicy policy,
        IReadOnlyDictionary<string, RoleSelection>? roles = null)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(policy);
        var firstProposed = proposal.TransferSyntaxes[0];
        var abstractSyntax = proposal.AbstractSyntax;
        var supported = abstractSyntax == DicomUids.Verification
            || policy.AcceptedSopClasses.Contains(abstractSyntax, StringComparer.Ordinal)
            || (policy.AcceptAnyStorageSopClass && StorageSopClasses.IsStorage(abstractSyntax))
            || (policy.AcceptPrivateSopClasses && StorageSopClasses.IsPrivate(abstractSyntax));
        if (!supported)
        {
            return new PresentationContextResult(proposal.Id, PresentationContextResultReason.AbstractSyntaxNotSupported, firstProposed);
        }
        if (roles is not null && roles.TryGetValue(abstractSyntax, out var role) && !role.ScuRole)
        {
            // The requestor wants only to be SCP (e.g. C-GET storage): not a role we play.
            return new PresentationContextResult(proposal.Id, PresentationContextResultReason.UserRejection, firstProposed);
        }
        if (policy.TransferSyntaxSelector is { } select && abstractSyntax != DicomUids.Verification)
        {
            return select(proposal.TransferSyntaxes) is { } chosen && proposal.TransferSyntaxes.Contains(chosen, StringComparer.Ordinal)
                ? new PresentationContextResult(proposal.Id, PresentationContextResultReason.Acceptance, chosen)
                : new PresentationContextResult(proposal.Id, PresentationContextResultReason.TransferSyntaxesNotSupported, firstProposed);
        }
        IEnumerable<string> preference = abstractSyntax == DicomUids.Verification
            ? TransferSyntaxes.Uncompressed.Concat(policy.TransferSyntaxPreference)
            : policy.TransferSyntaxPreference;
        if (policy.PreferProposerOrder)
        {
            var accepted = preference.ToHashSet(StringComparer.Ordinal);
            preference = proposal.TransferSyntaxes.Where(accepted.Contains);
        }
        foreach (var ts in preference)
        {
            if (proposal.TransferSyntaxes.Contains(ts, StringComparer.Ordinal))
            {
                return new PresentationContextResult(proposal.Id, PresentationContextResultReason.Acceptance, ts);
            }
        }
        return new PresentationContextResult(proposal.Id, PresentationContextResultReason.TransferSyntaxesNotSupported, firstProposed);
    }

    /// <summary>
    /// The User Identity server response (PS3.7 D.3.3.7.2): zero length for a username (types 1 and 2); for a Kerberos
    /// ticket, SAML assertion or JWT it must carry the server ticket, SAML response or JWT, which only the policy's
    /// responder can give, so without one none is sent and the requestor decides how to proceed.
    /// </summary>
    private static ReadOnlyMemory<byte>? ServerResponse(UserIdentityNegotiation identity, AcceptorPolicy policy) =>
        identity.IdentityType is UserIdentityType.Username or UserIdentityType.UsernameAndPasscode
            ? ReadOnlyMemory<byte>.Empty
            : policy.UserIdentityServerResponse?.Invoke(identity);

    private static string? Proposed(AssociateRequest request, byte id) =>
        request.PresentationContexts.FirstOrDefault(pc => pc.Id == id)?.AbstractSyntax;

    private static async ValueTask<bool> IsCallingAeAllowedAsync(string callingAe, IPAddress? remote, AcceptorPolicy policy,
        CancellationToken cancellationToken)
    {
        if (policy.AllowedCallingAes is not { } allowed)
        {
            return true;
        }
        foreach (var entry in allowed.Where(e => string.Equals(e.AeTitle.Trim(), callingAe, StringComparison.Ordinal)))
        {
            if (entry.Host is null or "*")
            {
                return true;
            }
            if (remote is null)
            {
                continue;
            }
            var peer = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
            if (IPAddress.TryParse(entry.Host, out var address))
            {
                if (address.Equals(peer))
                {
                    return true;
                }
                continue;
            }
            try
            {
                var addresses = await Dns.GetHostAddressesAsync(entry.Host, cancellationToken).ConfigureAwait(false);
                if (addresses.Any(a => (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(peer)))
                {
                    return true;
                }
            }
            catch (System.Net.Sockets.SocketException)
            {
                // A host name that does not resolve admits nobody.
            }
        }
        return false;
    }
}
