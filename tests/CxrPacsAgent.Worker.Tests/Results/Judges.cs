using CxrPacsAgent.Worker.Tests.Cli;

namespace CxrPacsAgent.Worker.Tests.Results;

/// <summary>
/// The independent judges of the results: dciodvfy (dicom3tools), DCMTK (dsrdump reads the SR with its IOD's
/// relationship rules; dsr2xml + xml2dsr +Vs check it against DCMTK's XML Schema). Every warning dciodvfy may give is
/// listed here with its reason, as in docs/results.md; any other warning fails the test.
/// </summary>
internal static class Judges
{
    /// <summary>Warnings that stay, each explained in docs/results.md.</summary>
    public static readonly string[] ExplainedWarnings =
    [
        // Our private coding scheme is, by definition, not a term dciodvfy knows.
        "Unrecognized defined term = <99CXRAGENT>",
        // IHE AI Results requires Device UID in the Contributing Equipment item; dicom3tools 2022 does not list it there.
        "ContributingEquipmentSequence(0018,a001)[1]/DeviceUID(0018,1002)> - Attribute is not present in standard DICOM IOD",
        // Copied from a source that lacks them (Type 2, written empty): only a DICOMDIR would need them.
        "Missing attribute or value that would be needed to build DICOMDIR",
    ];

    /// <summary>What DCMTK 3.6.7 warns about that is its own limit, not a fault of the file (docs/results.md).</summary>
    public static readonly string[] DcmtkLimits =
    [
        "W: Check for template constraints not yet supported",
        "W: The VR checker does not support this Specific Character Set",
        "W: Reading unknown/unsupported SpecificCharacterSet (\\ISO 2022 IR 87)",
        "W: Cannot map Specific Character Set to equivalent XML encoding",
        "W: Setting unknown/unsupported value for Specific Character Set: \\ISO 2022 IR 87",
        "W: Character set '\\ISO 2022 IR 87' not supported",
    ];

    public static void AssertValid(string path)
    {
        var (_, stdout, stderr) = CliRunner.Start("dciodvfy", "-new", path);
        var lines = (stderr + stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, $"dciodvfy errors in {Path.GetFileName(path)}:\n{string.Join('\n', errors)}");
        var unexplained = lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal)
            && !ExplainedWarnings.Any(w => l.Contains(w, StringComparison.Ordinal))).ToList();
        Assert.True(unexplained.Count == 0, $"unexplained dciodvfy warnings in {Path.GetFileName(path)}:\n{string.Join('\n', unexplained)}");
    }

    /// <summary>DCMTK reads the SR under its IOD's rules, and its XML form validates against dsr2xml.xsd.</summary>
    public static void AssertSrValid(string path)
    {
        AssertValid(path);
        var (dumpCode, _, dumpErr) = CliRunner.Start("dsrdump", path);
        AssertDcmtk("dsrdump", path, dumpCode, dumpErr);
        var xml = path + ".xml";
        var (toXml, _, toXmlErr) = CliRunner.Start("dsr2xml", "+Xs", path, xml);
        AssertDcmtk("dsr2xml", path, toXml, toXmlErr);
        var (back, _, backErr) = CliRunner.Start("xml2dsr", "+Vs", xml, path + ".fromxml.dcm");
        AssertDcmtk("xml2dsr +Vs", path, back, backErr);
    }

    private static void AssertDcmtk(string tool, string path, int code, string stderr)
    {
        var unexplained = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !DcmtkLimits.Any(limit => l.StartsWith(limit, StringComparison.Ordinal))).ToList();
        Assert.True(code == 0 && unexplained.Count == 0, $"{tool} {Path.GetFileName(path)} ({code}):\n{stderr}");
    }
}
