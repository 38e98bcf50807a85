using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Worker.Results;

/// <summary>
/// The UIDs of what a result writes, derived from the source and the model (2.25 + a name-based UUID), so processing
/// the same source instance with the same model version again gives the same SR and SC instances: a retry replaces,
/// it never duplicates. Series UIDs derive from the source series, so one source series gets one AI result series.
/// </summary>
public sealed record ResultUids(string Report, string ChestCadReport, string Picture, string ReportSeries, string PictureSeries,
    string ModelTracking, string KnnTracking)
{
    /// <summary>Fixed once for this product: changing it would change every UID ever derived.</summary>
    public static readonly Guid Namespace = new("0b7f4c1e-2d2a-5a8e-9d43-6c2f1e0a7b51");

    public static ResultUids For(string sourceSeriesUid, string sourceInstanceUid, ModelIdentity model)
    {
        ArgumentNullException.ThrowIfNull(model);
        string Instance(string kind) => DerivedUid.FromName(Namespace, sourceInstanceUid, model.Name, model.Version, kind);
        string Series(string kind) => DerivedUid.FromName(Namespace, sourceSeriesUid, model.Name, model.Version, kind);
        return new ResultUids(Instance("sr"), Instance("chest-cad-sr"), Instance("sc"), Series("sr-series"), Series("sc-series"),
            Instance("tracking-model"), Instance("tracking-knn"));
    }

    /// <summary>Device UID of a model version as equipment (Contributing Equipment, device observer): the same everywhere.</summary>
    public static string Algorithm(ModelIdentity model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return DerivedUid.FromName(Namespace, "algorithm", model.Name, model.Version);
    }

    /// <summary>Device UID of an agent installation.</summary>
    public static string Agent(AgentIdentity agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return DerivedUid.FromName(Namespace, "agent", agent.Manufacturer, agent.ModelName, agent.DeviceSerialNumber);
    }
}
