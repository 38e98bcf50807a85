using CxrPacsAgent.Worker.State;

namespace CxrPacsAgent.Worker.Tests.State;

/// <summary>The sign-in lockout's part of the contract (<see cref="IAdminStore"/>): counting, locking, ageing out, clearing, the cap.</summary>
public abstract partial class StateStoreContract
{
    private static readonly TimeSpan LockoutWindow = TimeSpan.FromMinutes(15);

    /// <summary>A failure now against <paramref name="subjects"/>: three within the window lock for ten minutes.</summary>
    private Task<bool> FailAsync(string[] subjects, int maxSubjects = 100)
    {
        var now = Time.GetUtcNow();
        return Store.RecordSignInFailureAsync(new SignInFailure(subjects, now, now - LockoutWindow, 3, now.AddMinutes(10), maxSubjects));
    }

    [Fact]
    public async Task The_failure_that_reaches_the_limit_locks_its_subject_and_the_others_count_on_their_own()
    {
        Assert.Null(await Store.SignInLockedUntilAsync(["user-a"]));
        Assert.False(await FailAsync(["user-a", "client-1"]));
        Assert.False(await FailAsync(["user-a", "client-2"]));
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await FailAsync(["user-a", "client-3"]));
        var until = Time.GetUtcNow().AddMinutes(10);
        Assert.Equal(until, await Store.SignInLockedUntilAsync(["user-a"]));
        Assert.Equal(until, await Store.SignInLockedUntilAsync(["user-b", "client-1", "user-a"]));
        // Each address failed once: not locked.
        Assert.False(await Store.SignInLockedUntilAsync(["client-1", "client-2", "client-3"]) > Time.GetUtcNow());
        Assert.Null(await Store.SignInLockedUntilAsync(["user-b"]));
        // The lock spent the failures: after it ends the count starts again.
        Time.Advance(TimeSpan.FromMinutes(11));
        Assert.False(await FailAsync(["user-a", "client-4"]));
        Assert.True(await Store.SignInLockedUntilAsync(["user-a"]) < Time.GetUtcNow());
    }

    [Fact]
    public async Task Failures_older_than_the_window_no_longer_count()
    {
        Assert.False(await FailAsync(["user-a"]));
        Assert.False(await FailAsync(["user-a"]));
        Time.Advance(LockoutWindow);
        Assert.False(await FailAsync(["user-a"]));
        Assert.False(await FailAsync(["user-a"]));
        Assert.True(await FailAsync(["user-a"]));
    }

    [Fact]
    public async Task Clearing_forgets_the_failures_but_not_a_lockout_still_running()
    {
        Assert.False(await FailAsync(["user-a", "client-1"]));
        Assert.False(await FailAsync(["user-a", "client-1"]));
        await Store.ClearSignInFailuresAsync(["user-a", "client-1"], Time.GetUtcNow());
        Assert.False(await FailAsync(["user-a", "client-2"]));
        Assert.False(await FailAsync(["user-a", "client-3"]));
        Assert.True(await FailAsync(["user-a", "client-4"]));
        var until = await Store.SignInLockedUntilAsync(["user-a"]);
        Assert.True(until > Time.GetUtcNow());
        await Store.ClearSignInFailuresAsync(["user-a", "client-4"], Time.GetUtcNow());
        Assert.Equal(until, await Store.SignInLockedUntilAsync(["user-a"]));
        Assert.Null(await Store.SignInLockedUntilAsync(["client-4"]));
    }

    [Fact]
    public async Task Beyond_the_cap_every_subject_not_locked_out_is_forgotten()
    {
        Assert.False(await FailAsync(["flooded"], maxSubjects: 4));
        Assert.False(await FailAsync(["flooded"], maxSubjects: 4));
        Assert.False(await FailAsync(["locked"], maxSubjects: 4));
        Assert.False(await FailAsync(["locked"], maxSubjects: 4));
        Assert.True(await FailAsync(["locked"], maxSubjects: 4));
        foreach (var i in Enumerable.Range(0, 3))
        {
            Assert.False(await FailAsync([$"random-{i}"], maxSubjects: 4));
        }
        // "flooded" had two failures: a third would have locked it, had the cap not forgotten them.
        Assert.False(await FailAsync(["flooded"], maxSubjects: 4));
        Assert.True(await Store.SignInLockedUntilAsync(["locked"]) > Time.GetUtcNow());
    }

    [Fact]
    public async Task A_sign_in_lockout_query_needs_a_subject()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.SignInLockedUntilAsync([]));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.RecordSignInFailureAsync(null!));
    }
}
