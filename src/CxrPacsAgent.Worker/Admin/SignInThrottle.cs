using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Admin;

/// <summary>
/// Lockout after repeated failed sign-ins: <c>Admin:LockoutFailures</c> failures within <c>Admin:LockoutWindow</c>,
/// counted per user name (as typed, whether or not such a user exists) and per client address, refuse every further
/// attempt for that name or from that address for <c>Admin:LockoutDuration</c>, the right password included. Kept in
/// memory: a restart forgives, and each agent of a site counts its own.
/// </summary>
public sealed class SignInThrottle(IOptions<AdminOptions> options, TimeProvider time)
{
    /// <summary>Names and addresses tracked at most; beyond it the quiet ones are forgotten first.</summary>
    internal const int MaxTracked = 10_000;

    private readonly Dictionary<string, Attempts> tracked = new(StringComparer.Ordinal);

    /// <summary>How much longer <paramref name="user"/> or <paramref name="client"/> is locked out; null when neither is.</summary>
    public TimeSpan? LockedFor(string user, string client)
    {
        var now = time.GetUtcNow();
        lock (tracked)
        {
            var until = new[] { UserKey(user), ClientKey(client) }
                .Select(k => tracked.TryGetValue(k, out var a) ? a.LockedUntil : null)
                .Max();
            return until > now ? until - now : null;
        }
    }

    /// <summary>Counts a failed attempt; true when it locks the name or the address out.</summary>
    public bool RecordFailure(string user, string client)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        lock (tracked)
        {
            if (tracked.Count >= MaxTracked)
            {
                Forget(now - settings.LockoutWindow);
            }
            var locked = false;
            foreach (var key in new[] { UserKey(user), ClientKey(client) })
            {
                if (!tracked.TryGetValue(key, out var attempts))
                {
                    tracked[key] = attempts = new Attempts();
                }
                attempts.Failures.Enqueue(now);
                while (attempts.Failures.Peek() <= now - settings.LockoutWindow)
                {
                    attempts.Failures.Dequeue();
                }
                if (attempts.Failures.Count >= settings.LockoutFailures)
                {
                    attempts.LockedUntil = now + settings.LockoutDuration;
                    attempts.Failures.Clear();
                    locked = true;
                }
            }
            return locked;
        }
    }

    /// <summary>A successful sign-in clears the name's and the address's failures.</summary>
    public void RecordSuccess(string user, string client)
    {
        lock (tracked)
        {
            tracked.Remove(UserKey(user));
            tracked.Remove(ClientKey(client));
        }
    }

    /// <summary>Drops entries neither locked nor failed since <paramref name="since"/>; if that is not enough, every unlocked one.</summary>
    private void Forget(DateTimeOffset since)
    {
        var now = time.GetUtcNow();
        foreach (var (key, attempts) in tracked.Where(e => !(e.Value.LockedUntil > now) && e.Value.Failures.All(f => f <= since)).ToList())
        {
            tracked.Remove(key);
        }
        if (tracked.Count >= MaxTracked)
        {
            foreach (var key in tracked.Where(e => !(e.Value.LockedUntil > now)).Select(e => e.Key).ToList())
            {
                tracked.Remove(key);
            }
        }
    }

    // User names compare without case, as people type them; a name and an address never share a key.
    private static string UserKey(string user) => "user\u001F" + user.ToUpperInvariant();

    private static string ClientKey(string client) => "client\u001F" + client;

    private sealed class Attempts
    {
        public Queue<DateTimeOffset> Failures { get; } = new();

        public DateTimeOffset? LockedUntil { get; set; }
    }
}
