using System.CommandLine;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Retrieval.Patients;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Worker.Cli.Index;

/// <summary>Options every <c>index</c> verb shares, and how they become a database path, a model and a patient-id hasher.</summary>
internal static class IndexCliOptions
{
    /// <summary>The service's state database under its default <c>Storage:Root</c> ("data").</summary>
    public const string DefaultDatabase = "data/state/agent.db";

    public const string SaltFileName = PatientIdSalt.DefaultFileName;

    public static Option<FileInfo> Database() => new("--db")
    {
        Description = $"the agent's state database (default {DefaultDatabase})",
        DefaultValueFactory = _ => new FileInfo(DefaultDatabase),
    };

    public static Option<DirectoryInfo?> Model() => new("--model") { Description = "model package folder (default: the shipped package)" };

    public static Option<FileInfo?> SaltFile() => new("--salt-file")
    {
        Description = $"the site's patient-id salt (default: {SaltFileName} beside the database, created when missing)",
    };

    public static PatientIdHasher Hasher(FileInfo database, FileInfo? saltFile) =>
        new(PatientIdSalt.LoadOrCreate(saltFile?.FullName ?? Path.Combine(database.DirectoryName!, SaltFileName)));

    /// <summary>The package, one operator thread per call: images run in parallel (preprocessing is single-threaded).</summary>
    public static CxrModel LoadModel(DirectoryInfo? folder) =>
        CxrModel.Load(folder?.FullName ?? DefaultModel.Folder, new InferenceOptions { IntraOpThreads = 1 }, NullLogger.Instance);
}
