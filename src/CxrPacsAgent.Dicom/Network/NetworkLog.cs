namespace CxrPacsAgent.Dicom.Network;

/// <summary>
/// Where the network layer reports what happens. Messages name associations, AE titles, addresses and SOP Instance
/// UIDs, never patient data; a host adapts this to its logger.
/// </summary>
public delegate void NetworkLog(NetworkLogLevel level, string message);

public enum NetworkLogLevel
{
    Debug,
    Information,
    Warning,
    Error,
}
