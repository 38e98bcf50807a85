namespace CxrPacsAgent.Worker.State;

/// <summary>
/// One line of the audit log: who did what to what, when, from where, and how it turned out. Written for every
/// sign-in (and failed one), retry and cancel; never holds patient data.
/// </summary>
/// <param name="Action">What was asked, e.g. <c>retry</c>, <c>cancel</c>, <c>sign-in</c>.</param>
/// <param name="Target">What it was asked of, e.g. <c>outbox item 12</c>.</param>
/// <param name="Outcome">What came of it, e.g. <c>done</c> or <c>not a dead letter</c>.</param>
/// <param name="Client">The address the request came from.</param>
public sealed record AuditEntry(DateTimeOffset At, string User, string Action, string Target, string Outcome, string Client);
