namespace CxrPacsAgent.Worker.State;

/// <summary>A spool file no job needs any more.</summary>
public sealed record SpoolRelease(long JobId, string SpoolFile);
