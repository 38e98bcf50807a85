using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>Turns the failures a user can cause (bad files, missing paths) into one-line messages and exit codes.</summary>
internal static class CliErrors
{
    public const int InvalidInput = 2;

    /// <summary>The request was understood but nothing could be done with the input: every image was skipped or unreadable.</summary>
    public const int NothingScored = 3;

    public static int Guard(Func<int> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return action();
        }
        catch (DicomFormatException e)
        {
            Console.Error.WriteLine($"error: not a readable DICOM file: {e.Message}");
            return InvalidInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return InvalidInput;
        }
    }
}
