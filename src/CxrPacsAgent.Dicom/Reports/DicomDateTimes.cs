using System.Globalization;

namespace CxrPacsAgent.Dicom.Reports;

/// <summary>DA, TM and DT values (PS3.5 Table 6.2-1) from a moment, at the offset it carries.</summary>
public static class DicomDateTimes
{
    public static string Date(DateTimeOffset moment) => moment.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset moment) => moment.ToString("HHmmss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>YYYYMMDDHHMMSS.FFFFFF&amp;ZZXX, with the offset, so the moment is unambiguous.</summary>
    public static string DateTime(DateTimeOffset moment) =>
        moment.ToString("yyyyMMddHHmmss.ffffff", CultureInfo.InvariantCulture) + Offset(moment);

    /// <summary>Timezone Offset From UTC (0008,0201): &amp;ZZXX.</summary>
    public static string Offset(DateTimeOffset moment)
    {
        var offset = moment.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{offset.Hours:00}{offset.Minutes:00}");
    }
}
