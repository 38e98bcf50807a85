using System.Globalization;

namespace CxrPacsAgent.Worker.Hosting;

/// <summary>The checks options classes share; each returns the failure message naming the key, or null.</summary>
internal static class OptionChecks
{
    public static string? Port(string key, int value) =>
        value is >= 1 and <= 65535 ? null : $"{key}: {Text(value)} is not a TCP port (1-65535)";

    public static string? AeTitle(string key, string? value) =>
        value is not null && Dicom.Network.Pdus.AeTitle.IsValid(value)
            ? null
            : $"{key}: '{value}' is not a valid AE title (1-16 characters of the default repertoire, no backslash, not all spaces)";

    public static string? Positive(string key, TimeSpan value) =>
        value > TimeSpan.Zero ? null : $"{key}: {value} must be longer than zero";

    public static string? NotNegative(string key, TimeSpan value) =>
        value >= TimeSpan.Zero ? null : $"{key}: {value} must not be negative";

    public static string? Range(string key, long value, long min, long max) =>
        value >= min && value <= max ? null : $"{key}: {Text(value)} is outside {Text(min)}-{Text(max)}";

    public static string? Required(string key, string? value) =>
        string.IsNullOrWhiteSpace(value) ? $"{key}: a value is required" : null;

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
