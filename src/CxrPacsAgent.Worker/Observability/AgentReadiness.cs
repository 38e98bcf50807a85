namespace CxrPacsAgent.Worker.Observability;

/// <summary>What start-up has done so far, for /health/ready and /status.</summary>
public sealed class AgentReadiness
{
    private volatile bool storeReady;
    private volatile bool listening;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public bool StoreReady
    {
        get => storeReady;
        set => storeReady = value;
    }

    /// <summary>The C-STORE listener is accepting associations.</summary>
    public bool Listening
    {
        get => listening;
        set => listening = value;
    }
}
