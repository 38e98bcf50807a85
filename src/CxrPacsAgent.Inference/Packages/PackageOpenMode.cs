namespace CxrPacsAgent.Inference.Packages;

/// <summary>How strictly a package is opened.</summary>
public enum PackageOpenMode
{
    /// <summary>For running: the current schema, a SHA-256 for every file, the current preprocessing version.</summary>
    Run,

    /// <summary>
    /// For the tools that write a new package from this one (<c>calibrate</c>, <c>fit-ood</c>): an older schema is read too,
    /// files without a SHA-256 are taken as they are, and a package from before preprocessing versions counts as version 1.
    /// Every hash that is given is still checked.
    /// </summary>
    Upgrade,
}
