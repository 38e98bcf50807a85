using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Reports;

/// <summary>
/// The independent judges of what the report builders write: dciodvfy (dicom3tools) for the IOD, DCMTK's dsr2xml and
/// xml2dsr +Vs for the SR against DCMTK's XML Schema, dsrdump for DCMTK's own SR reading.
/// </summary>
internal static class Judges
{
    /// <summary>
    /// dicom3tools 2022 predates Device UID (0018,1002) in Contributing Equipment Sequence items, which IHE AI Results
    /// requires there; the warning stays (docs/results.md).
    /// </summary>
    public const string ContributingDeviceUid = "ContributingEquipmentSequence(0018,a001)[1]/DeviceUID(0018,1002)> - Attribute is not present in standard DICOM IOD";

    /// <summary>A private ("99...") coding scheme is by definition not a defined term dciodvfy knows.</summary>
    public static string PrivateScheme(string designator) => $"Unrecognized defined term = <{designator}>";

    /// <summary>dciodvfy's errors and warnings (it writes them to standard error), each line as printed.</summary>
    public static (IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings) Dciodvfy(string path)
    {
        var result = ExternalProcess.Run("dciodvfy", ["-new", path]);
        var lines = (result.Stderr + result.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return ([.. lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal))],
            [.. lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal))]);
    }

    /// <summary>Asserts dciodvfy finds no error and only the warnings <paramref name="allowed"/> (substrings) explain.</summary>
    public static void AssertValid(string path, params string[] allowed)
    {
        var (errors, warnings) = Dciodvfy(path);
        Assert.True(errors.Count == 0, $"dciodvfy errors in {Path.GetFileName(path)}:\n{string.Join('\n', errors)}");
        var unexplained = warnings.Where(w => !allowed.Any(a => w.Contains(a, StringComparison.Ordinal))).ToList();
        Assert.True(unexplained.Count == 0, $"unexplained dciodvfy warnings in {Path.GetFileName(path)}:\n{string.Join('\n', unexplained)}");
    }

    /// <summary>DCMTK 3.6.7 says so for every CAD SR: it has no template checks for them, which is no fault of the file.</summary>
    private const string NoCadTemplateCheck = "W: Check for template constraints not yet supported";

    /// <summary>dsr2xml +Xs, then xml2dsr +Vs: DCMTK reads the SR and its XML validates against dsr2xml.xsd.</summary>
    public static void AssertSchemaValid(string path)
    {
        var xml = path + ".xml";
        AssertClean("dsr2xml", path, ExternalProcess.Run("dsr2xml", ["+Xs", path, xml]));
        AssertClean("xml2dsr +Vs", path, ExternalProcess.Run("xml2dsr", ["+Vs", xml, path + ".fromxml.dcm"]));
    }

    private static void AssertClean(string tool, string path, ProcessResult result)
    {
        var problems = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith(NoCadTemplateCheck, StringComparison.Ordinal));
        Assert.True(result.ExitCode == 0 && !problems.Any(), $"{tool} {Path.GetFileName(path)} ({result.ExitCode}): {result.Stderr}");
    }
}
