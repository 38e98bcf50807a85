using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Retrieval;
using CxrPacsAgent.Worker.Hosting;

namespace CxrPacsAgent.Worker.Cli.Index;

/// <summary>What an <c>index</c> verb can run into, as one-line messages and the exit codes of docs/cli.md.</summary>
internal static class IndexErrors
{
    /// <summary>The request cannot be done (another model's library, nothing to remove, a newer database).</summary>
    public const int CannotDo = 3;

    public static async Task<int> GuardAsync(Func<Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (StartupException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (System.Data.Common.DbException e)
        {
            Console.Error.WriteLine($"error: the library's database: {e.Message}");
            return CannotDo;
        }
        catch (RetrievalException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return e.Error == RetrievalError.InvalidEntry ? CliErrors.InvalidInput : CannotDo;
        }
        catch (ModelPackageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return PackageErrors.InvalidPackage;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or DicomFormatException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return CliErrors.InvalidInput;
        }
    }
}
