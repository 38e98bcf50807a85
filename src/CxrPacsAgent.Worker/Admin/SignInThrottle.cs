using System.Security.Cryptography;
using System.Text;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Admin;

/// <summary>
/// Lockout after repeated failed sign-ins: <c>Admin:LockoutFailures</c> failures within <c>Admin:LockoutWindow</c>,
/// counted per user name (as typed, without case, whether or not such a user exists) and per client address, refuse
/// every further attempt for that name or from that address for <c>Admin:LockoutDuration</c>, the right password
/// included. Kept in the state store (<see cref="IAdminStore"/>): a restart forgives nothing, and the agents of a site
/// sharing a PostgreSQL store count together. When the store cannot be reached every call throws its
/// <see cref="System.Data.Common.DbException"/>: the caller refuses the attempt rather than let it through unchecked.
/// </summary>
public sealed class SignInThrottle(IOptions<AdminOptions> options, IAdminStore store, TimeProvider time)
{
    /// <summary>Names and addresses remembered at most; beyond it every one not locked out is forgotten.</summary>
    internal const int MaxTracked = 10_000;

    /// <summary>How much longer <paramref name="user"/> or <paramref name="client"/> is locked out; null when neither is.</summary>
    public async Task<TimeSpan?> LockedForAsync(string user, string client, CancellationToken cancellationToken = default)
    {
        var until = await store.SignInLockedUntilAsync(Subjects(user, client), cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return until > now ? until - now : null;
    }

    /// <summary>Counts a failed attempt; true when it locks the name or the address out.</summary>
    /// <remarks>Not cancellable: a client hanging up as soon as it has sent a guess must not leave it uncounted.</remarks>
    public Task<bool> RecordFailureAsync(string user, string client)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        return store.RecordSignInFailureAsync(new SignInFailure(Subjects(user, client), now, now - settings.LockoutWindow,
            settings.LockoutFailures, now + settings.LockoutDuration, MaxTracked), CancellationToken.None);
    }

    /// <summary>A successful sign-in clears the name's and the address's failures.</summary>
    public Task RecordSuccessAsync(string user, string client) =>
        store.ClearSignInFailuresAsync(Subjects(user, client), time.GetUtcNow(), CancellationToken.None);

    /// <summary>
    /// The store's keys for a name and an address: SHA-256 of the kind and the value, so every agent makes the same key,
    /// a key is short however long the typed name, and the store holds no second copy of what was typed (the audit log
    /// is the record of who tried). User names compare without case, as people type them; a name and an address never
    /// share a key.
    /// </summary>
    internal static string[] Subjects(string user, string client) =>
        [Subject("user\u001F" + user.ToUpperInvariant()), Subject("client\u001F" + client)];

    private static string Subject(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
