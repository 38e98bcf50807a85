using CxrPacsAgent.Dicom.Network.Acse;

namespace CxrPacsAgent.Worker.Hosting;

/// <summary>An allow-list entry of <c>Dicom:AllowedCallingAeTitles</c>: <c>AE</c> or <c>AE@host</c>.</summary>
public static class CallingAe
{
    public static bool TryParse(string? text, out AllowedCallingAe? entry)
    {
        entry = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var at = text.LastIndexOf('@');
        var title = at < 0 ? text : text[..at];
        var host = at < 0 ? null : text[(at + 1)..];
        if (!Dicom.Network.Pdus.AeTitle.IsValid(title) || host is { Length: 0 })
        {
            return false;
        }
        entry = new AllowedCallingAe(title, host);
        return true;
    }
}
