using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Network.Acse;

/// <summary>What an association acceptor agrees to: who may call, which SOP classes and transfer syntaxes.</summary>
public sealed record AcceptorPolicy
{
    /// <summary>Our AE title (a neutral default; the application names itself).</summary>
    public string AeTitle { get; init; } = "ANY-SCP";

    /// <summary>Reject requests whose called AE title is not ours (called-AE-title-not-recognized).</summary>
    public bool CheckCalledAeTitle { get; init; } = true;

    /// <summary>Calling AE titles (and hosts) that may associate; null lets anyone in.</summary>
    public IReadOnlyList<AllowedCallingAe>? AllowedCallingAes { get; init; }

    /// <summary>Abstract syntaxes accepted besides Verification, which is always accepted. None by default: the application says what it takes.</summary>
    public IReadOnlyList<string> AcceptedSopClasses { get; init; } = [];

    /// <summary>Accept every Storage SOP class, listed or not (a plain receiver).</summary>
    public bool AcceptAnyStorageSopClass { get; init; }

    /// <summary>
    /// Also accept abstract syntaxes outside the DICOM root (1.2.840.10008.): vendors' private storage SOP classes,
    /// which a router forwarding whole studies sends along.
    /// </summary>
    public bool AcceptPrivateSopClasses { get; init; }

    /// <summary>Accepted transfer syntaxes, most preferred first: the first one a proposal offers is chosen.</summary>
    public IReadOnlyList<string> TransferSyntaxPreference { get; init; } = TransferSyntaxes.StorageDefault;

    /// <summary>
    /// Take the first syntax in the proposal's own order that <see cref="TransferSyntaxPreference"/> contains, rather
    /// than ours: a plain receiver then stores what the sender has (e.g. its JPEG lossless file) instead of making it
    /// convert. Lossy syntaxes are still only taken when listed.
    /// </summary>
    public bool PreferProposerOrder { get; init; }

    /// <summary>
    /// Chooses the transfer syntax of an accepted non-Verification proposal itself, from the proposer's list in its
    /// order; null refuses the context (transfer-syntaxes-not-supported). When set, it replaces
    /// <see cref="TransferSyntaxPreference"/> and <see cref="PreferProposerOrder"/> for those contexts.
    /// </summary>
    public Func<IReadOnlyList<string>, string?>? TransferSyntaxSelector { get; init; }

    /// <summary>
    /// Checks a requestor's user identity (PS3.7 D.3.3.7); false rejects the association (permanent, source 2 ACSE,
    /// no-reason-given). Null: identities are not checked and no positive response is given.
    /// </summary>
    public Func<UserIdentityNegotiation, bool>? UserIdentityValidator { get; init; }

    /// <summary>
    /// The server response to a Kerberos, SAML or JWT identity whose requestor asked for one (PS3.7 D.3.3.7.2: the
    /// Kerberos server ticket, the SAML response, the JWT); null or a null result sends none. A username identity is
    /// answered with the zero-length response the standard prescribes, without this.
    /// </summary>
    public Func<UserIdentityNegotiation, ReadOnlyMemory<byte>?>? UserIdentityServerResponse { get; init; }

    /// <summary>Reject requests without a user identity (only with a validator).</summary>
    public bool RequireUserIdentity { get; init; }

    /// <summary>Element Coercion announced in the storage extended negotiation reply (PS3.4 B.3.1).</summary>
    public bool MayCoerceElements { get; init; }
}
