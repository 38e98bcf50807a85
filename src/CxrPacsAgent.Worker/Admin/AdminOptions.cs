using CxrPacsAgent.Worker.Hosting;

namespace CxrPacsAgent.Worker.Admin;

/// <summary>The admin page under <c>/admin</c> on the HTTP port (section <c>Admin</c>).</summary>
public sealed class AdminOptions : IValidatedOptions
{
    public const string Section = "Admin";

    /// <summary>The local administrator's user name.</summary>
    public string User { get; set; } = "admin";

    /// <summary>
    /// The administrator's password as <c>cxr-agent hash-password</c> prints it (PBKDF2, ASP.NET Core Identity's format).
    /// Empty turns the admin page off: <c>/admin</c> answers 404.
    /// </summary>
    public string PasswordHash { get; set; } = "";

    /// <summary>A session ends after this long without a request.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Show patient name, patient id and accession number (read from the spool copy while it is kept) on a study's page.
    /// Off by default: the page then shows no patient data at all.
    /// </summary>
    public bool ShowPatientData { get; set; }

    /// <summary>Failed sign-ins, per user name or per client address, within <see cref="LockoutWindow"/> that lock it out.</summary>
    public int LockoutFailures { get; set; } = 5;

    /// <summary>How far back failed sign-ins count towards <see cref="LockoutFailures"/>.</summary>
    public TimeSpan LockoutWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a locked-out user name or address is refused, the right password included.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    public bool Enabled => PasswordHash.Length > 0;

    public IEnumerable<string> Validate()
    {
        return new[]
        {
            OptionChecks.Required("Admin:User", User),
            PasswordHash.Length == 0 || AdminPassword.IsHash(PasswordHash)
                ? null
                : "Admin:PasswordHash: not a hash made by `cxr-agent hash-password`",
            OptionChecks.Positive("Admin:SessionTimeout", SessionTimeout),
            OptionChecks.Range("Admin:LockoutFailures", LockoutFailures, 1, 1000),
            OptionChecks.Positive("Admin:LockoutWindow", LockoutWindow),
            OptionChecks.Positive("Admin:LockoutDuration", LockoutDuration),
        }.OfType<string>();
    }
}
