namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>User Information Item (item type 50H, PS3.8 9.3.2.3) and the sub-items of PS3.7 Annex D.3.3.</summary>
public sealed class UserInformation
{
    /// <summary>
    /// Maximum Length sub-item (51H, PS3.8 D.1): the largest P-DATA-TF variable field the sender can receive; 0 means
    /// no limit. Null when the peer left the (mandatory) sub-item out.
    /// </summary>
    public uint? MaximumLength { get; set; }

    /// <summary>Implementation Class UID sub-item (52H, PS3.7 D.3.3.2).</summary>
    public string? ImplementationClassUid { get; set; }

    /// <summary>Implementation Version Name sub-item (55H): 1 to 16 characters.</summary>
    public string? ImplementationVersionName { get; set; }

    /// <summary>Asynchronous Operations Window sub-item (53H, PS3.7 D.3.3.3); absent means 1 and 1.</summary>
    public AsynchronousOperationsWindow? AsynchronousOperationsWindow { get; set; }

    /// <summary>SCP/SCU Role Selection sub-items (54H, PS3.7 D.3.3.4), one per SOP class at most.</summary>
    public List<RoleSelection> RoleSelections { get; } = [];

    /// <summary>SOP Class Extended Negotiation sub-items (56H, PS3.7 D.3.3.5).</summary>
    public List<SopClassExtendedNegotiation> ExtendedNegotiations { get; } = [];

    /// <summary>SOP Class Common Extended Negotiation sub-items (57H, PS3.7 D.3.3.6); request only.</summary>
    public List<SopClassCommonExtendedNegotiation> CommonExtendedNegotiations { get; } = [];

    /// <summary>User Identity Negotiation sub-item of the request (58H, PS3.7 D.3.3.7.1).</summary>
    public UserIdentityNegotiation? UserIdentity { get; set; }

    /// <summary>User Identity Negotiation sub-item of the accept (59H, PS3.7 D.3.3.7.2): the server response.</summary>
    public ReadOnlyMemory<byte>? UserIdentityServerResponse { get; set; }
}
