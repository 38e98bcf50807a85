namespace CxrPacsAgent.Worker.Hosting;

/// <summary>
/// Where the agent's durable state lives (section <c>State</c>): the embedded SQLite file under <c>Storage:Root</c>
/// (one agent), or a PostgreSQL database several identical agents share.
/// </summary>
public sealed class StateOptions : IValidatedOptions
{
    public const string Section = "State";

    public const string Sqlite = "sqlite";

    public const string PostgreSql = "postgresql";

    /// <summary><c>sqlite</c> (default) or <c>postgresql</c>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>For <c>postgresql</c>: an Npgsql connection string (Host, Port, Database, Username, Password, …).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>For <c>postgresql</c>: how long a claim on a job holds without a heartbeat (measured on the database's clock).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>For <c>postgresql</c>: how often the agent renews its leases and looks for jobs nobody holds.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsPostgreSql => string.Equals(Provider, PostgreSql, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<string> Validate()
    {
        return new[]
        {
            string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase) || IsPostgreSql ? null
                : $"State:Provider: '{Provider}' is not a provider (sqlite or postgresql)",
            IsPostgreSql ? OptionChecks.Required("State:ConnectionString", ConnectionString) : null,
            OptionChecks.Positive("State:Lease", Lease),
            OptionChecks.Positive("State:Heartbeat", Heartbeat),
            Heartbeat * 2 <= Lease ? null
                : $"State:Heartbeat: {Heartbeat} must be at most half of State:Lease ({Lease}), so one missed heartbeat does not lose a lease",
        }.OfType<string>();
    }
}
