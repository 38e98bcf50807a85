namespace CxrPacsAgent.Worker.State;

/// <summary>
/// One failed sign-in to the admin page, as <see cref="IAdminStore.RecordSignInFailureAsync"/> counts it: against each
/// of <paramref name="Subjects"/> (the keys of the user name and the client address), failures after
/// <paramref name="CountSince"/> count; the one that makes <paramref name="LockAfter"/> of them locks that subject until
/// <paramref name="LockUntil"/>. At most <paramref name="MaxSubjects"/> subjects are remembered.
/// </summary>
public sealed record SignInFailure(IReadOnlyList<string> Subjects, DateTimeOffset At, DateTimeOffset CountSince, int LockAfter,
    DateTimeOffset LockUntil, int MaxSubjects);
