namespace CxrPacsAgent.Dicom.Network.UpperLayer;

/// <summary>Actions of the DICOM upper layer state machine (PS3.8 9.2.2, Tables 9-6 to 9-9).</summary>
public enum StateMachineAction
{
    /// <summary>Issue TRANSPORT CONNECT request primitive to local transport service. Next Sta4.</summary>
    AE1 = 1,
    /// <summary>Send A-ASSOCIATE-RQ PDU. Next Sta5.</summary>
    AE2,
    /// <summary>Issue A-ASSOCIATE confirmation (accept) primitive. Next Sta6.</summary>
    AE3,
    /// <summary>Issue A-ASSOCIATE confirmation (reject) primitive and close transport connection. Next Sta1.</summary>
    AE4,
    /// <summary>Issue transport connection response primitive; start ARTIM timer. Next Sta2.</summary>
    AE5,
    /// <summary>
    /// Stop ARTIM timer; if the A-ASSOCIATE-RQ is acceptable by the service-provider, issue A-ASSOCIATE indication
    /// (next Sta3), otherwise issue A-ASSOCIATE-RJ PDU and start ARTIM timer (next Sta13).
    /// </summary>
    AE6,
    /// <summary>Send A-ASSOCIATE-AC PDU. Next Sta6.</summary>
    AE7,
    /// <summary>Send A-ASSOCIATE-RJ PDU and start ARTIM timer. Next Sta13.</summary>
    AE8,
    /// <summary>Send P-DATA-TF PDU. Next Sta6.</summary>
    DT1,
    /// <summary>Send P-DATA indication primitive. Next Sta6.</summary>
    DT2,
    /// <summary>Send A-RELEASE-RQ PDU. Next Sta7.</summary>
    AR1,
    /// <summary>Issue A-RELEASE indication primitive. Next Sta8.</summary>
    AR2,
    /// <summary>Issue A-RELEASE confirmation primitive, and close transport connection. Next Sta1.</summary>
    AR3,
    /// <summary>Issue A-RELEASE-RP PDU and start ARTIM timer. Next Sta13.</summary>
    AR4,
    /// <summary>Stop ARTIM timer. Next Sta1.</summary>
    AR5,
    /// <summary>Issue P-DATA indication. Next Sta7.</summary>
    AR6,
    /// <summary>Issue P-DATA-TF PDU. Next Sta8.</summary>
    AR7,
    /// <summary>Issue A-RELEASE indication (release collision): next Sta9 for the requestor, Sta10 otherwise.</summary>
    AR8,
    /// <summary>Send A-RELEASE-RP PDU. Next Sta11.</summary>
    AR9,
    /// <summary>Issue A-RELEASE confirmation primitive. Next Sta12.</summary>
    AR10,
    /// <summary>Send A-ABORT PDU (service-user source) and start (or restart) ARTIM timer. Next Sta13.</summary>
    AA1,
    /// <summary>Stop ARTIM timer if running. Close transport connection. Next Sta1.</summary>
    AA2,
    /// <summary>Issue A-ABORT (service-user source) or A-P-ABORT indication and close transport connection. Next Sta1.</summary>
    AA3,
    /// <summary>Issue A-P-ABORT indication primitive. Next Sta1.</summary>
    AA4,
    /// <summary>Stop ARTIM timer. Next Sta1.</summary>
    AA5,
    /// <summary>Ignore PDU. Next Sta13.</summary>
    AA6,
    /// <summary>Send A-ABORT PDU. Next Sta13.</summary>
    AA7,
    /// <summary>
    /// Send A-ABORT PDU (service-provider source), issue an A-P-ABORT indication, and start ARTIM timer. Next Sta13.
    /// </summary>
    AA8,
}
