namespace CxrPacsAgent.Dicom.Network.Acse;

/// <summary>
/// One entry of the calling-AE allow-list: an AE title and, optionally, the host it must call from (an IP address
/// or a host name resolved when checked).
/// </summary>
public sealed record AllowedCallingAe(string AeTitle, string? Host = null);
