using CxrPacsAgent.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Pipeline.Stages;

/// <summary>Where result writers put their files.</summary>
public sealed class ResultFolders(AgentPaths paths, IOptions<DestinationsOptions> destinations)
{
    /// <summary>The results folder (<c>Results:Folder</c>): JSON results, and DICOM results when there is no destination.</summary>
    public string Results => paths.Results;

    /// <summary>DICOM result documents: the outbox when destinations are configured, else the results folder.</summary>
    public string Dicom => destinations.Value.Items.Count > 0 ? paths.Outbox : paths.Results;
}
