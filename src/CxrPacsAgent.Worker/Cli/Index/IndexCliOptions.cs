using System.CommandLine;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Retrieval.Patients;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Worker.Cli.Index;

/// <summary>Options the <c>index</c> verbs that embed images share (where the library is: <see cref="LibraryLocation"/>).</summary>
internal static class IndexCliOptions
{
    public const string SaltFileName = PatientIdSalt.DefaultFileName;

    public static Option<DirectoryInfo?> Model() => new("--model") { Description = "model package folder (default: the shipped package)" };

    public static Option<FileInfo?> SaltFile() => new("--salt-file")
    {
        Description = $"the site's patient-id salt (default: the service's, {SaltFileName} in its state folder, or beside --db; created when missing)",
    };

    /// <summary>The package, one operator thread per call: images run in parallel (preprocessing is single-threaded).</summary>
    public static CxrModel LoadModel(DirectoryInfo? folder) =>
        CxrModel.Load(folder?.FullName ?? DefaultModel.Folder, new InferenceOptions { IntraOpThreads = 1 }, NullLogger.Instance);
}
