namespace CxrPacsAgent.Worker.State;

/// <summary>A received instance committed to the spool, as intake records it.</summary>
/// <param name="SpoolFile">File name inside the spool folder.</param>
/// <param name="ContentHash">SHA-256 (hex) of the data set bytes as received: the same bytes again are a duplicate.</param>
public sealed record SpooledInstance(
    string SopInstanceUid,
    string SopClassUid,
    string TransferSyntaxUid,
    string SpoolFile,
    string ContentHash,
    long Length,
    string CallingAeTitle)
{
    /// <summary>Accession Number (0008,0050) as the site's keyed hash (never the number itself); null when it has none.</summary>
    public string? AccessionKey { get; init; }
}
