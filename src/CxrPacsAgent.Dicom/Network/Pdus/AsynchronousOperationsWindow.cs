namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>Asynchronous Operations Window sub-item (53H, PS3.7 D.3.3.3); 0 means unlimited.</summary>
public sealed record AsynchronousOperationsWindow(ushort MaximumOperationsInvoked, ushort MaximumOperationsPerformed);
