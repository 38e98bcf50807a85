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
        }.OfType<string>();
    }
}
