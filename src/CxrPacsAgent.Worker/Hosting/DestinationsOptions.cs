namespace CxrPacsAgent.Worker.Hosting;

/// <summary>The <c>Destinations</c> list; empty means results are only written to the results folder.</summary>
public sealed class DestinationsOptions : IValidatedOptions
{
    public const string Section = "Destinations";

    public List<DestinationOptions> Items { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Items.Count; i++)
        {
            var d = Items[i];
            var key = $"Destinations:{i}";
            if (string.IsNullOrWhiteSpace(d.Name) || d.Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            {
                yield return $"{key}:Name: '{d.Name}' must be letters, digits, '-', '_' or '.' (it names a folder and a metric label)";
            }
            else if (!names.Add(d.Name))
            {
                yield return $"{key}:Name: '{d.Name}' is used twice";
            }
            if (OptionChecks.AeTitle($"{key}:AeTitle", d.AeTitle) is { } ae)
            {
                yield return ae;
            }
            if (OptionChecks.Required($"{key}:Host", d.Host) is { } host)
            {
                yield return host;
            }
            if (OptionChecks.Port($"{key}:Port", d.Port) is { } port)
            {
                yield return port;
            }
        }
    }
}
