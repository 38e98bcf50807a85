namespace CxrPacsAgent.Inference.Monitoring;

/// <summary>
/// Where recent results come from: a folder of result files for the <c>drift</c> verb, the service's state database for
/// its daily statistics job. The drift statistics need nothing more than this.
/// </summary>
public interface IResultObservationSource
{
    /// <summary>A name for reports (a folder, a database and period).</summary>
    string Description { get; }

    IReadOnlyList<ResultObservation> Read();
}
