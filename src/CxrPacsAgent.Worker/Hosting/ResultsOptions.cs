using CxrPacsAgent.Worker.Results;

namespace CxrPacsAgent.Worker.Hosting;

/// <summary>
/// What is written for each result and where (section <c>Results</c>): the results folder, and the SR and SC options
/// of <see cref="ResultOptions"/> (docs/results.md), under the same key names.
/// </summary>
public sealed class ResultsOptions : IValidatedOptions
{
    public const string Section = "Results";

    private static readonly ResultOptions Defaults = new();

    /// <summary>
    /// The results folder: JSON results, and the SR and SC documents when no destination is configured. Empty means
    /// <c>{Storage:Root}/results</c>.
    /// </summary>
    public string Folder { get; set; } = "";

    /// <summary>SR SOP class of the TID 1500 report (Comprehensive 3D SR, Comprehensive SR or Enhanced SR).</summary>
    public string StructuredReportSopClassUid { get; set; } = Defaults.StructuredReportSopClassUid;

    /// <summary>Also write a Chest CAD SR (TID 4100).</summary>
    public bool ChestCadReport { get; set; } = Defaults.ChestCadReport;

    /// <summary>Write the Secondary Capture picture.</summary>
    public bool SecondaryCapture { get; set; } = Defaults.SecondaryCapture;

    /// <summary>
    /// The occlusion heatmap costs Grid² model runs per study (64 at the default grid, about 12 s on two cores), so the
    /// service leaves it off unless asked; <c>classify --out</c> draws it by default.
    /// </summary>
    public HeatmapSettings Heatmap { get; set; } = new();

    public int ReportSeriesNumber { get; set; } = Defaults.ReportSeriesNumber;

    public int PictureSeriesNumber { get; set; } = Defaults.PictureSeriesNumber;

    /// <summary>Rows the radiograph is drawn at in the picture.</summary>
    public int PictureHeight { get; set; } = Defaults.PictureHeight;

    /// <summary>How the agent names itself as equipment in the results.</summary>
    public AgentSettings Agent { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        string? problem = null;
        try
        {
            ToResultOptions().Validate();
        }
        catch (ArgumentException e)
        {
            problem = $"Results: {e.Message}";
        }
        return problem is null ? [] : [problem];
    }

    public ResultOptions ToResultOptions() => new()
    {
        StructuredReportSopClassUid = StructuredReportSopClassUid,
        ChestCadReport = ChestCadReport,
        SecondaryCapture = SecondaryCapture,
        Heatmap = new HeatmapOptions { Enabled = Heatmap.Enabled, Grid = Heatmap.Grid },
        ReportSeriesNumber = ReportSeriesNumber,
        PictureSeriesNumber = PictureSeriesNumber,
        PictureHeight = PictureHeight,
        Agent = new Results.AgentIdentity
        {
            Manufacturer = Agent.Manufacturer,
            ModelName = Agent.ModelName,
            DeviceSerialNumber = Agent.DeviceSerialNumber,
            InstitutionName = Agent.InstitutionName,
            StationName = Agent.StationName,
        },
    };

    /// <summary><c>Results:Heatmap</c>.</summary>
    public sealed class HeatmapSettings
    {
        public bool Enabled { get; set; }

        public int Grid { get; set; } = new HeatmapOptions().Grid;
    }

    /// <summary><c>Results:Agent</c>.</summary>
    public sealed class AgentSettings
    {
        private static readonly Results.AgentIdentity Identity = new();

        public string Manufacturer { get; set; } = Identity.Manufacturer;

        public string ModelName { get; set; } = Identity.ModelName;

        /// <summary>Which installation wrote the result; the host name by default.</summary>
        public string DeviceSerialNumber { get; set; } = Identity.DeviceSerialNumber;

        public string? InstitutionName { get; set; }

        public string? StationName { get; set; }
    }
}
