namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>
/// User Identity Negotiation sub-item of the A-ASSOCIATE-RQ (58H, PS3.7 D.3.3.7.1). The fields are credentials:
/// never log them.
/// </summary>
public sealed class UserIdentityNegotiation(UserIdentityType identityType, bool positiveResponseRequested,
    ReadOnlyMemory<byte> primaryField, ReadOnlyMemory<byte> secondaryField)
{
    public UserIdentityType IdentityType { get; } = identityType;

    public bool PositiveResponseRequested { get; } = positiveResponseRequested;

    /// <summary>Username (UTF-8), Kerberos ticket, SAML assertion or JSON web token, per <see cref="IdentityType"/>.</summary>
    public ReadOnlyMemory<byte> PrimaryField { get; } = primaryField;

    /// <summary>Passcode; non-empty only for <see cref="UserIdentityType.UsernameAndPasscode"/>.</summary>
    public ReadOnlyMemory<byte> SecondaryField { get; } = secondaryField;

    public override string ToString() => $"user identity {IdentityType}";
}

/// <summary>User-Identity-Type field (PS3.7 Table D.3-14).</summary>
public enum UserIdentityType : byte
{
    Username = 1,
    UsernameAndPasscode = 2,
    KerberosServiceTicket = 3,
    SamlAssertion = 4,
    JsonWebToken = 5,
}
