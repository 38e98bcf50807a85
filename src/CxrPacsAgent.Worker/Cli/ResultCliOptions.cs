using System.CommandLine;
using CxrPacsAgent.Worker.Results;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>The options of <c>classify --out</c>: where to write the SR and SC, and the result options a user may change.</summary>
internal sealed class ResultCliOptions
{
    private readonly Option<DirectoryInfo?> output = new("--out") { Description = "also write each DICOM file's SR and SC picture to this folder" };
    private readonly Option<bool> chestCad = new("--chest-cad") { Description = "with --out: also write a Chest CAD SR (TID 4100)" };
    private readonly Option<bool> noPicture = new("--no-picture") { Description = "with --out: write the SR only, no Secondary Capture" };
    private readonly Option<bool> noHeatmap = new("--no-heatmap") { Description = "with --out: draw no occlusion heatmap (saves grid² model runs)" };
    private readonly Option<int> grid = new("--heatmap-grid") { Description = "with --out: occlusion grid cells per side", DefaultValueFactory = _ => new HeatmapOptions().Grid };

    public static ResultCliOptions Create() => new();

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { output, chestCad, noPicture, noHeatmap, grid })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The folder and options, or null without --out. Invalid values fail here, before any model is loaded.</summary>
    public (string Folder, ResultOptions Options)? Read(ParseResult result)
    {
        if (result.GetValue(output) is not { } folder)
        {
            return null;
        }
        var options = new ResultOptions
        {
            ChestCadReport = result.GetValue(chestCad),
            SecondaryCapture = !result.GetValue(noPicture),
            Heatmap = new HeatmapOptions { Enabled = !result.GetValue(noHeatmap), Grid = result.GetValue(grid) },
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
        return (folder.FullName, options);
    }
}
