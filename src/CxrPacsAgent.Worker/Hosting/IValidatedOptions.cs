namespace CxrPacsAgent.Worker.Hosting;

/// <summary>
/// An options class bound from one configuration section that checks itself. Each failure names the full key
/// (<c>Dicom:Port</c>), so a bad value stops start-up with a message an administrator can act on.
/// </summary>
public interface IValidatedOptions
{
    IEnumerable<string> Validate();
}
