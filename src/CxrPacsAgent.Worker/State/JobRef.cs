namespace CxrPacsAgent.Worker.State;

/// <summary>
/// A job as the pipeline holds it: its id and the version of the instance being worked on. A copy of the same SOP
/// Instance with different bytes makes a new version, and any record made for an older version is refused.
/// </summary>
public readonly record struct JobRef(long Id, int Version)
{
    public override string ToString() => $"job {Id}.{Version}";
}
