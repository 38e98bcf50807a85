using System.Globalization;

namespace CxrPacsAgent.Dicom.Network.Dimse;

/// <summary>
/// A Status (0000,0900) value: the general codes of PS3.7 Annex C and the Storage Service codes of PS3.4 B.2.3 that
/// this implementation answers or must understand.
/// </summary>
public readonly record struct DimseStatus(ushort Code)
{
    public static readonly DimseStatus Success = new(0x0000);

    /// <summary>Storage: Warning, Coercion of Data Elements (PS3.4 B.2.3).</summary>
    public static readonly DimseStatus CoercionOfDataElements = new(0xB000);

    /// <summary>Storage: Warning, Elements Discarded.</summary>
    public static readonly DimseStatus ElementsDiscarded = new(0xB006);

    /// <summary>Storage: Warning, Data Set does not match SOP Class.</summary>
    public static readonly DimseStatus DataSetDoesNotMatchSopClassWarning = new(0xB007);

    /// <summary>Storage: Refused, Out of Resources (A7xx).</summary>
    public static readonly DimseStatus OutOfResources = new(0xA700);

    /// <summary>Storage: Error, Data Set does not match SOP Class (A9xx).</summary>
    public static readonly DimseStatus DataSetDoesNotMatchSopClass = new(0xA900);

    /// <summary>Storage: Error, Cannot understand (Cxxx).</summary>
    public static readonly DimseStatus CannotUnderstand = new(0xC000);

    /// <summary>General: Refused, SOP Class not supported (PS3.7 C.5.20).</summary>
    public static readonly DimseStatus SopClassNotSupported = new(0x0122);

    /// <summary>General: Failure, Processing failure (PS3.7 C.5.3).</summary>
    public static readonly DimseStatus ProcessingFailure = new(0x0110);

    /// <summary>General: Failure, Duplicate SOP Instance (PS3.7 C.5.5).</summary>
    public static readonly DimseStatus DuplicateSopInstance = new(0x0111);

    /// <summary>General: Failure, Unrecognized operation (PS3.7 C.5.15).</summary>
    public static readonly DimseStatus UnrecognizedOperation = new(0x0211);

    /// <summary>General: Refused, Not authorized (PS3.7 C.5.22).</summary>
    public static readonly DimseStatus NotAuthorized = new(0x0124);

    public static readonly DimseStatus Cancel = new(0xFE00);

    public static readonly DimseStatus Pending = new(0xFF00);

    /// <summary>The category of PS3.7 C.1: success, warning, failure, cancel or pending.</summary>
    public DimseStatusCategory Category => Code switch
    {
        0x0000 => DimseStatusCategory.Success,
        0x0001 or 0x0107 or 0x0116 or (>= 0xB000 and <= 0xBFFF) => DimseStatusCategory.Warning,
        0xFE00 => DimseStatusCategory.Cancel,
        0xFF00 or 0xFF01 => DimseStatusCategory.Pending,
        _ => DimseStatusCategory.Failure,
    };

    public bool IsSuccess => Category == DimseStatusCategory.Success;

    public bool IsWarning => Category == DimseStatusCategory.Warning;

    public bool IsFailure => Category == DimseStatusCategory.Failure;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Code:X4}H ({Describe()})");

    private string Describe() => Code switch
    {
        0x0000 => "Success",
        0xB000 => "Warning: Coercion of Data Elements",
        0xB006 => "Warning: Elements Discarded",
        0xB007 => "Warning: Data Set does not match SOP Class",
        0x0122 => "Refused: SOP Class not supported",
        0x0124 => "Refused: Not authorized",
        0x0110 => "Processing failure",
        0x0111 => "Duplicate SOP Instance",
        0x0211 => "Unrecognized operation",
        >= 0xA700 and <= 0xA7FF => "Refused: Out of Resources",
        >= 0xA900 and <= 0xA9FF => "Error: Data Set does not match SOP Class",
        >= 0xC000 and <= 0xCFFF => "Error: Cannot understand",
        0xFE00 => "Cancel",
        0xFF00 or 0xFF01 => "Pending",
        _ => Category.ToString(),
    };
}

public enum DimseStatusCategory
{
    Success,
    Warning,
    Failure,
    Cancel,
    Pending,
}
