namespace CxrPacsAgent.Worker.Hosting;

/// <summary>How the agent names itself on the network unless configured otherwise.</summary>
public static class AgentDefaults
{
    /// <summary>The default AE title, of the listener (<c>Dicom:AeTitle</c>) and of the CLI verbs.</summary>
    public const string AeTitle = "CXR_AGENT";
}
