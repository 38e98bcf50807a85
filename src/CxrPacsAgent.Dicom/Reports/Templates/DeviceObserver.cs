namespace CxrPacsAgent.Dicom.Reports.Templates;

/// <summary>
/// TID 1001 Observation Context with one device observer (TID 1002 Observer Context, TID 1004 Device Observer
/// Identifying Attributes): the system that made the observations, as HAS OBS CONTEXT items of the container.
/// </summary>
/// <param name="Uid">Device Observer UID (121012, DCM), Type M: the device's identity, matching Device UID (0018,1002) elsewhere.</param>
/// <param name="Name">Device Observer Name (121013, DCM).</param>
/// <param name="Manufacturer">Device Observer Manufacturer (121014, DCM).</param>
/// <param name="ModelName">Device Observer Model Name (121015, DCM).</param>
/// <param name="SerialNumber">Device Observer Serial Number (121016, DCM).</param>
public sealed record DeviceObserver(string Uid, string? Name = null, string? Manufacturer = null, string? ModelName = null,
    string? SerialNumber = null)
{
    /// <summary>The TID 1001 rows, in template order.</summary>
    public IEnumerable<ContentItem> ToContent()
    {
        const RelationshipType context = RelationshipType.HasObservationContext;
        yield return new CodeItem(Codes.ObserverType, Codes.Device) { Relationship = context };
        yield return new UidRefItem(Codes.DeviceObserverUid, Uid) { Relationship = context };
        foreach (var (concept, value) in new[] { (Codes.DeviceObserverName, Name), (Codes.DeviceObserverManufacturer, Manufacturer),
                     (Codes.DeviceObserverModelName, ModelName), (Codes.DeviceObserverSerialNumber, SerialNumber) })
        {
            if (value is not null)
            {
                yield return new TextItem(concept, value) { Relationship = context };
            }
        }
    }
}
