namespace CxrPacsAgent.Worker.Hosting;

/// <summary>Sending results to the destinations (section <c>Outbox</c>).</summary>
public sealed class OutboxOptions : IValidatedOptions
{
    public const string Section = "Outbox";

    /// <summary>Our AE title when calling a destination; empty means <c>Dicom:AeTitle</c>.</summary>
    public string CallingAeTitle { get; set; } = "";

    /// <summary>Wait after the first failed attempt; each further failure doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A result not delivered this long after it was made goes to the dead letters.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(3);

    /// <summary>The sender looks for due items at least this often (new results wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for an A-ASSOCIATE-AC or a C-STORE-RSP.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Instances sent to one destination in one association.</summary>
    public int BatchSize { get; set; } = 50;

    public IEnumerable<string> Validate()
    {
        return new[]
        {
            CallingAeTitle.Length == 0 ? null : OptionChecks.AeTitle("Outbox:CallingAeTitle", CallingAeTitle),
            OptionChecks.Positive("Outbox:FirstRetryDelay", FirstRetryDelay),
            MaxRetryDelay >= FirstRetryDelay ? null : $"Outbox:MaxRetryDelay: {MaxRetryDelay} is shorter than Outbox:FirstRetryDelay ({FirstRetryDelay})",
            OptionChecks.Positive("Outbox:MaxAge", MaxAge),
            OptionChecks.Positive("Outbox:PollInterval", PollInterval),
            OptionChecks.Positive("Outbox:ConnectTimeout", ConnectTimeout),
            OptionChecks.Positive("Outbox:ResponseTimeout", ResponseTimeout),
            OptionChecks.Range("Outbox:BatchSize", BatchSize, 1, 10000),
        }.OfType<string>();
    }
}
