namespace CxrPacsAgent.Worker.Hosting;

/// <summary>A PACS the results are sent to with C-STORE: one entry of the <c>Destinations</c> list.</summary>
public sealed class DestinationOptions
{
    /// <summary>A short name for logs, metrics and the dead-letter folder.</summary>
    public string Name { get; set; } = "";

    /// <summary>The PACS's (called) AE title.</summary>
    public string AeTitle { get; set; } = "";

    public string Host { get; set; } = "";

    public int Port { get; set; } = 104;
}
