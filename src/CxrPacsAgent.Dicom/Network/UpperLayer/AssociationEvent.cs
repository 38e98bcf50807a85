namespace CxrPacsAgent.Dicom.Network.UpperLayer;

/// <summary>Events of the DICOM upper layer state machine (PS3.8 Table 9-10).</summary>
public enum AssociationEvent
{
    /// <summary>A-ASSOCIATE request (local user).</summary>
    Evt1 = 1,
    /// <summary>Transport connect confirmation (local transport service).</summary>
    Evt2,
    /// <summary>A-ASSOCIATE-AC PDU (received on transport connection).</summary>
    Evt3,
    /// <summary>A-ASSOCIATE-RJ PDU (received on transport connection).</summary>
    Evt4,
    /// <summary>Transport connection indication (local transport service).</summary>
    Evt5,
    /// <summary>A-ASSOCIATE-RQ PDU (received on transport connection).</summary>
    Evt6,
    /// <summary>A-ASSOCIATE response primitive (accept).</summary>
    Evt7,
    /// <summary>A-ASSOCIATE response primitive (reject).</summary>
    Evt8,
    /// <summary>P-DATA request primitive.</summary>
    Evt9,
    /// <summary>P-DATA-TF PDU.</summary>
    Evt10,
    /// <summary>A-RELEASE request primitive.</summary>
    Evt11,
    /// <summary>A-RELEASE-RQ PDU (received on open transport connection).</summary>
    Evt12,
    /// <summary>A-RELEASE-RP PDU (received on transport connection).</summary>
    Evt13,
    /// <summary>A-RELEASE response primitive.</summary>
    Evt14,
    /// <summary>A-ABORT request primitive.</summary>
    Evt15,
    /// <summary>A-ABORT PDU (received on open transport connection).</summary>
    Evt16,
    /// <summary>Transport connection closed indication (local transport service).</summary>
    Evt17,
    /// <summary>ARTIM timer expired (association reject/release timer).</summary>
    Evt18,
    /// <summary>Unrecognized or invalid PDU received.</summary>
    Evt19,
}
