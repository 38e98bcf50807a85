using System.Globalization;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Reports;

/// <summary>
/// Dates and times written beside copied ones must share their zone: when the source states Timezone Offset From UTC
/// (0008,0201), which then applies to every date and time in the instance, new moments are converted to it.
/// </summary>
internal static class SourceTime
{
    public static DateTimeOffset InZoneOf(DicomDataset ds, DateTimeOffset moment)
    {
        var offset = ds.GetString(DicomTags.TimezoneOffsetFromUTC)?.Trim();
        if (offset is { Length: 5 } && (offset[0] is '+' or '-')
            && int.TryParse(offset.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            && int.TryParse(offset.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            && hours <= 14 && minutes < 60)
        {
            var span = new TimeSpan(hours, minutes, 0);
            return moment.ToOffset(offset[0] == '-' ? -span : span);
        }
        return moment;
    }
}
