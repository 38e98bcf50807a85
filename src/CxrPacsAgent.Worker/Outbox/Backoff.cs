namespace CxrPacsAgent.Worker.Outbox;

/// <summary>Exponential back-off: the first retry after <c>Outbox:FirstRetryDelay</c>, each next one twice as late, up to <c>Outbox:MaxRetryDelay</c>.</summary>
public static class Backoff
{
    /// <param name="failures">Failed attempts so far, including the one just made (1 or more).</param>
    public static TimeSpan Delay(int failures, TimeSpan first, TimeSpan max)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var ticks = first.Ticks * Math.Pow(2, exponent);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
