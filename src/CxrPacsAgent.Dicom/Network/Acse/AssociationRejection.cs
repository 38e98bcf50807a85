namespace CxrPacsAgent.Dicom.Network.Acse;

/// <summary>
/// Why the acceptor rejected an A-ASSOCIATE-RQ (local reasons, for logs and metrics); each maps to the A-ASSOCIATE-RJ
/// result, source and reason of PS3.8 Table 9-21 that the peer sees.
/// </summary>
public enum AssociationRejection
{
    None = 0,
    /// <summary>Protocol version without bit 0 (AE-6): permanent, ACSE, protocol-version-not-supported.</summary>
    ProtocolVersion,
    /// <summary>All association slots in use: transient, presentation, local-limit-exceeded.</summary>
    AssociationLimit,
    /// <summary>The calling address uses all the slots one address may hold: transient, presentation, local-limit-exceeded.</summary>
    AssociationLimitPerAddress,
    /// <summary>Not the DICOM application context: permanent, service-user, application-context-name-not-supported.</summary>
    ApplicationContext,
    /// <summary>Called AE title not ours or not a valid AE title: permanent, service-user, called-AE-title-not-recognized.</summary>
    CalledAeTitle,
    /// <summary>Calling AE title empty or with characters the AE VR excludes: permanent, service-user, calling-AE-title-not-recognized.</summary>
    CallingAeTitleInvalid,
    /// <summary>Calling AE title (and host) not on the allow-list: permanent, service-user, calling-AE-title-not-recognized.</summary>
    CallingAeTitleNotAllowed,
    /// <summary>The TLS client certificate does not name the calling AE title: permanent, service-user, calling-AE-title-not-recognized.</summary>
    ClientCertificateMismatch,
    /// <summary>User identity missing or refused: permanent, ACSE, no-reason-given (PS3.7 D.3.3.7).</summary>
    UserIdentity,
}

public static class AssociationRejectionExtensions
{
    /// <summary>The A-ASSOCIATE-RJ the peer is sent for <paramref name="rejection"/> (PS3.8 Table 9-21).</summary>
    public static Pdus.AssociateReject ToReject(this AssociationRejection rejection) => rejection switch
    {
        AssociationRejection.ProtocolVersion => Pdus.AssociateReject.ProtocolVersionNotSupported(),
        AssociationRejection.AssociationLimit or AssociationRejection.AssociationLimitPerAddress => Pdus.AssociateReject.LocalLimitExceeded(),
        AssociationRejection.ApplicationContext => Pdus.AssociateReject.ApplicationContextNameNotSupported(),
        AssociationRejection.CalledAeTitle => Pdus.AssociateReject.CalledAeTitleNotRecognized(),
        AssociationRejection.CallingAeTitleInvalid or AssociationRejection.CallingAeTitleNotAllowed
            or AssociationRejection.ClientCertificateMismatch => Pdus.AssociateReject.CallingAeTitleNotRecognized(),
        AssociationRejection.UserIdentity => Pdus.AssociateReject.AcseNoReasonGiven(),
        _ => Pdus.AssociateReject.NoReasonGiven(),
    };
}
