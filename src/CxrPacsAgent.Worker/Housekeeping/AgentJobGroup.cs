namespace CxrPacsAgent.Worker.Housekeeping;

/// <summary>The Quartz group of the agent's jobs.</summary>
public static class AgentJobGroup
{
    public const string Name = "cxr-agent";
}
