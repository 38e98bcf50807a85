using CxrPacsAgent.Dicom.Network;
using Microsoft.Extensions.Logging;

namespace CxrPacsAgent.Worker.Observability;

/// <summary>The DICOM toolkit's log (which names associations, AE titles and UIDs, never patient data) into ILogger.</summary>
public static class NetworkLogAdapter
{
    public static NetworkLog For(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return (level, message) =>
        {
            var mapped = level switch
            {
                NetworkLogLevel.Debug => LogLevel.Debug,
                NetworkLogLevel.Information => LogLevel.Information,
                NetworkLogLevel.Warning => LogLevel.Warning,
                _ => LogLevel.Error,
            };
            if (logger.IsEnabled(mapped))
            {
#pragma warning disable CA2254 // The toolkit's messages are already formatted; they carry no template.
                logger.Log(mapped, "{Message}", message);
#pragma warning restore CA2254
            }
        };
    }
}
