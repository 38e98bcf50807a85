namespace CxrPacsAgent.Dicom.Network.UpperLayer;

/// <summary>States of the DICOM upper layer state machine (PS3.8 9.2.1, Tables 9-1 to 9-5).</summary>
public enum AssociationState
{
    /// <summary>Idle.</summary>
    Sta1 = 1,
    /// <summary>Transport connection open (awaiting A-ASSOCIATE-RQ PDU).</summary>
    Sta2,
    /// <summary>Awaiting local A-ASSOCIATE response primitive (from local user).</summary>
    Sta3,
    /// <summary>Awaiting transport connection opening to complete (from local transport service).</summary>
    Sta4,
    /// <summary>Awaiting A-ASSOCIATE-AC or A-ASSOCIATE-RJ PDU.</summary>
    Sta5,
    /// <summary>Association established and ready for data transfer.</summary>
    Sta6,
    /// <summary>Awaiting A-RELEASE-RP PDU.</summary>
    Sta7,
    /// <summary>Awaiting local A-RELEASE response primitive (from local user).</summary>
    Sta8,
    /// <summary>Release collision requestor side; awaiting A-RELEASE response (from local user).</summary>
    Sta9,
    /// <summary>Release collision acceptor side; awaiting A-RELEASE-RP PDU.</summary>
    Sta10,
    /// <summary>Release collision requestor side; awaiting A-RELEASE-RP PDU.</summary>
    Sta11,
    /// <summary>Release collision acceptor side; awaiting A-RELEASE response primitive (from local user).</summary>
    Sta12,
    /// <summary>Awaiting transport connection close indication (association no longer exists).</summary>
    Sta13,
}
