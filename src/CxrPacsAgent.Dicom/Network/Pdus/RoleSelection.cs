namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>
/// SCP/SCU Role Selection sub-item (54H, PS3.7 D.3.3.4). In a request the flags say which roles the requestor
/// proposes for itself; in an accept, which of those the acceptor agreed to.
/// </summary>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);
