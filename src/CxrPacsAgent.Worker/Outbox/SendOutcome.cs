namespace CxrPacsAgent.Worker.Outbox;

/// <summary>What to do with an outbox item after a send.</summary>
public enum SendVerdict
{
    /// <summary>The destination has it (success, a warning, or it already had this SOP Instance).</summary>
    Delivered,

    /// <summary>A failure that may pass: no connection, a transient rejection, a lost association, A7xx, a timeout.</summary>
    Retry,

    /// <summary>A refusal that will not change: a permanent rejection, A9xx, Cxxx, SOP class not supported.</summary>
    Final,
}

/// <summary>The verdict on one item, with a reason (a short code for metrics) and a detail for the log and dead letter.</summary>
public sealed record SendOutcome(SendVerdict Verdict, string Reason, string Detail)
{
    public static SendOutcome Delivered(string detail) => new(SendVerdict.Delivered, "Delivered", detail);
}
