using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Worker.Results;

/// <summary>What to write for each result and how the agent names itself in it (configuration section <c>Results</c>, docs/results.md).</summary>
public sealed record ResultOptions
{
    /// <summary>SR SOP class for the TID 1500 report: Comprehensive 3D SR (IHE AI Results), Comprehensive SR or Enhanced SR.</summary>
    public string StructuredReportSopClassUid { get; init; } = DicomUids.Comprehensive3DSRStorage;

    /// <summary>Also write a Chest CAD SR (TID 4100), for viewers that show CAD results.</summary>
    public bool ChestCadReport { get; init; }

    /// <summary>Write the Secondary Capture picture.</summary>
    public bool SecondaryCapture { get; init; } = true;

    public HeatmapOptions Heatmap { get; init; } = new();

    /// <summary>Series Number of the AI result SR series (a high number, so viewers list it after the images).</summary>
    public int ReportSeriesNumber { get; init; } = 9901;

    public int PictureSeriesNumber { get; init; } = 9902;

    /// <summary>Rows the radiograph is drawn at in the picture (the picture is 56 rows taller).</summary>
    public int PictureHeight { get; init; } = 1024;

    public AgentIdentity Agent { get; init; } = new();

    public ResultOptions Validate()
    {
        string[] sopClasses = [DicomUids.Comprehensive3DSRStorage, DicomUids.ComprehensiveSRStorage, DicomUids.EnhancedSRStorage];
        if (!sopClasses.Contains(StructuredReportSopClassUid))
        {
            throw new ArgumentException($"SR SOP class {StructuredReportSopClassUid} cannot hold TID 1500; use one of {string.Join(", ", sopClasses)}");
        }
        if (PictureHeight is < 256 or > 4096)
        {
            throw new ArgumentException($"picture height {PictureHeight} is outside 256 to 4096");
        }
        Heatmap.Validate();
        return this;
    }
}

/// <summary>The occlusion-sensitivity heatmap: costs Grid² model runs per image (docs/BENCHMARKS.md).</summary>
public sealed record HeatmapOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>Cells per side of the occlusion grid.</summary>
    public int Grid { get; init; } = 8;

    public HeatmapOptions Validate() =>
        Grid is < 2 or > Inference.Explain.OcclusionSensitivity.MaxGrid
            ? throw new ArgumentException($"heatmap grid {Grid} is outside 2 to {Inference.Explain.OcclusionSensitivity.MaxGrid}")
            : this;
}

/// <summary>How the agent identifies itself as equipment (General Equipment, device observer).</summary>
public sealed record AgentIdentity
{
    public string Manufacturer { get; init; } = "CxrPacsAgent";

    public string ModelName { get; init; } = "cxr-agent";

    /// <summary>Device Serial Number: which installation wrote the result (default: the host name).</summary>
    public string DeviceSerialNumber { get; init; } = Environment.MachineName;

    public string? InstitutionName { get; init; }

    public string? StationName { get; init; }

    /// <summary>The agent's software version (Software Versions).</summary>
    public string SoftwareVersion { get; init; } =
        typeof(AgentIdentity).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
