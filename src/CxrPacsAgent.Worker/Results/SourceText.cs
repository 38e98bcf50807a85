using System.Text;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Worker.Results;

/// <summary>
/// The results keep the source's Specific Character Set (its names are copied byte for byte), so text of our own —
/// package names, labels, notes — must be representable in it. What is not becomes '?', rather than the result failing.
/// </summary>
internal sealed class SourceText(DicomCharacterSet characterSet)
{
    public string Fit(string text)
    {
        if (CanEncode(text))
        {
            return text;
        }
        var fitted = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var s = rune.ToString();
            fitted.Append(CanEncode(s) ? s : "?");
        }
        return fitted.ToString();
    }

    private bool CanEncode(string text)
    {
        try
        {
            characterSet.Encode(text, DicomVR.UT);
            return true;
        }
        catch (DicomCharacterSetException)
        {
            return false;
        }
    }
}
