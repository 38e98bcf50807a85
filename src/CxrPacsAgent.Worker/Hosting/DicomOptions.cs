using System.Net;

namespace CxrPacsAgent.Worker.Hosting;

/// <summary>The C-STORE listener (section <c>Dicom</c>).</summary>
public sealed class DicomOptions : IValidatedOptions
{
    public const string Section = "Dicom";

    /// <summary>Routers and modalities call this AE title.</summary>
    public string AeTitle { get; set; } = AgentDefaults.AeTitle;

    /// <summary>TCP port; 0 lets the system pick a free one (logged at start and shown by /status).</summary>
    public int Port { get; set; } = 11112;

    /// <summary>Address to listen on; 0.0.0.0 is every IPv4 interface, :: every interface.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Refuse associations whose called AE title is not <see cref="AeTitle"/>.</summary>
    public bool CheckCalledAeTitle { get; set; } = true;

    /// <summary>Calling AE titles allowed in, as <c>AE</c> or <c>AE@host</c>; empty lets every caller in.</summary>
    public List<string> AllowedCallingAeTitles { get; set; } = [];

    /// <summary>
    /// False (default): every storage SOP class is accepted and answered success, then what is not a frontal chest
    /// radiograph is skipped with its reason. True: only chest radiography SOP classes are negotiated, and an instance
    /// whose header says it is not a frontal chest radiograph is refused (C000).
    /// </summary>
    public bool RefuseUnwanted { get; set; }

    public int MaxAssociations { get; set; } = 64;

    /// <summary>Associations one calling address may hold at once (a sender that leaves them idle cannot take every slot).</summary>
    public int MaxAssociationsPerAddress { get; set; } = 16;

    /// <summary>Maximum PDU length announced to peers.</summary>
    public uint MaxPduLength { get; set; } = 256 * 1024;

    /// <summary>Silence between messages before an association is ended; at least 10 minutes (routers hold associations open).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Silence inside a message before an association is ended; at least 10 minutes.</summary>
    public TimeSpan DimseTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>DCMTK waits without limit and modalities for minutes: ending an association sooner breaks senders.</summary>
    public static readonly TimeSpan ShortestTimeout = TimeSpan.FromMinutes(10);

    public IEnumerable<string> Validate()
    {
        return new[]
        {
            OptionChecks.AeTitle("Dicom:AeTitle", AeTitle),
            Port == 0 ? null : OptionChecks.Port("Dicom:Port", Port),
            IPAddress.TryParse(BindAddress, out _) ? null : $"Dicom:BindAddress: '{BindAddress}' is not an IP address",
            OptionChecks.Range("Dicom:MaxAssociations", MaxAssociations, 1, 1000),
            OptionChecks.Range("Dicom:MaxAssociationsPerAddress", MaxAssociationsPerAddress, 1, MaxAssociations),
            OptionChecks.Range("Dicom:MaxPduLength", MaxPduLength, 4096, 16 * 1024 * 1024),
            IdleTimeout >= ShortestTimeout ? null : $"Dicom:IdleTimeout: {IdleTimeout} is shorter than {ShortestTimeout} (senders keep associations open between studies)",
            DimseTimeout >= ShortestTimeout ? null : $"Dicom:DimseTimeout: {DimseTimeout} is shorter than {ShortestTimeout}",
        }.Concat(AllowedCallingAeTitles.Select((entry, i) => CallingAe.TryParse(entry, out _) ? null
            : $"Dicom:AllowedCallingAeTitles:{i}: '{entry}' is not AE or AE@host")).OfType<string>();
    }
}
