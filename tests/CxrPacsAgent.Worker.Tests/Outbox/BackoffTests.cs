using CxrPacsAgent.Worker.Outbox;

namespace CxrPacsAgent.Worker.Tests.Outbox;

public sealed class BackoffTests
{
    [Fact]
    public void Each_failure_doubles_the_wait_up_to_the_maximum()
    {
        var first = TimeSpan.FromSeconds(30);
        var max = TimeSpan.FromMinutes(30);
        Assert.Equal([30, 60, 120, 240, 480, 960, 1800, 1800], Enumerable.Range(1, 8).Select(n => Backoff.Delay(n, first, max).TotalSeconds));
        Assert.Equal(max, Backoff.Delay(1000, first, max));
        Assert.Equal(first, Backoff.Delay(0, first, max));
    }
}
