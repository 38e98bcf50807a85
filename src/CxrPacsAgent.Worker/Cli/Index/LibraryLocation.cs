using System.CommandLine;
using CxrPacsAgent.Retrieval.Patients;
using CxrPacsAgent.Retrieval.Storage;
using CxrPacsAgent.Retrieval.Storage.Postgres;
using CxrPacsAgent.Retrieval.Storage.Sqlite;
using CxrPacsAgent.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace CxrPacsAgent.Worker.Cli.Index;

/// <summary>
/// Where an <c>index</c> verb finds the library: where the service would, from the agent's configuration (embedded
/// defaults, <c>--config FILE</c>, <c>CXRAGENT_</c> variables) — the site's PostgreSQL database with
/// <c>State:Provider=postgresql</c>, else the SQLite state database under <c>Storage:Root</c> — or the SQLite file
/// <c>--db</c> names, which wins.
/// </summary>
internal sealed class LibraryLocation
{
    private LibraryLocation(string? databasePath, string? connectionString, string saltPath)
    {
        DatabasePath = databasePath;
        ConnectionString = connectionString;
        SaltPath = saltPath;
    }

    /// <summary>The SQLite state database; null with PostgreSQL.</summary>
    public string? DatabasePath { get; }

    /// <summary>The site's PostgreSQL database; null with SQLite.</summary>
    public string? ConnectionString { get; }

    /// <summary>The patient-id salt the service uses with this library (unless <c>--salt-file</c> says otherwise).</summary>
    public string SaltPath { get; }

    /// <summary>For messages: the file, or the PostgreSQL database and server (never the password).</summary>
    public string Description => DatabasePath ?? Describe(new NpgsqlConnectionStringBuilder(ConnectionString));

    /// <summary>The library's rows, opened (and their tables made when missing).</summary>
    public async Task<IEmbeddingStore> OpenAsync(CancellationToken cancellationToken) => DatabasePath is { } path
        ? SqliteEmbeddingStore.Open(path)
        : await PostgresEmbeddingStore.OpenAsync(ConnectionString!, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>The hasher for patient ids: <paramref name="saltFile"/>, or the service's salt for this library.</summary>
    public PatientIdHasher Hasher(FileInfo? saltFile) => new(PatientIdSalt.LoadOrCreate(saltFile?.FullName ?? SaltPath));

    /// <summary>The options every <c>index</c> verb takes to say where the library is.</summary>
    public sealed class Options
    {
        public Option<FileInfo?> Database { get; } = new("--db")
        {
            Description = "a SQLite state database (default: the service's, from its configuration: {Storage:Root}/state/agent.db, or PostgreSQL with State:Provider=postgresql)",
        };

        public Option<FileInfo?> Config { get; } = new("--config")
        {
            Description = "the service's JSON settings file, read as `serve --config` reads it (with CXRAGENT_ variables)",
        };

        public void AddTo(Command command)
        {
            ArgumentNullException.ThrowIfNull(command);
            command.Options.Add(Database);
            command.Options.Add(Config);
        }

        /// <exception cref="StartupException">The settings file is missing or a setting is unusable.</exception>
        public LibraryLocation Resolve(ParseResult result)
        {
            ArgumentNullException.ThrowIfNull(result);
            if (result.GetValue(Database) is { } file)
            {
                return new LibraryLocation(file.FullName, null, Path.Combine(file.DirectoryName!, PatientIdSalt.DefaultFileName));
            }
            return FromConfiguration(new ConfigurationBuilder().AddAgentSources(result.GetValue(Config)?.FullName).Build());
        }
    }

    /// <summary>The library the service configured by <paramref name="configuration"/> uses.</summary>
    public static LibraryLocation FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var (storage, state, retrieval) = (new StorageOptions(), new StateOptions(), new RetrievalOptions());
        try
        {
            configuration.GetSection(StorageOptions.Section).Bind(storage);
            configuration.GetSection(StateOptions.Section).Bind(state);
            configuration.GetSection(RetrievalOptions.Section).Bind(retrieval);
        }
        catch (InvalidOperationException e)
        {
            throw new StartupException($"configuration: {e.Message}", e) { ExitCode = CliErrors.InvalidInput };
        }
        if (state.Validate().FirstOrDefault() is { } problem)
        {
            throw new StartupException($"configuration: {problem}") { ExitCode = CliErrors.InvalidInput };
        }
        var paths = new AgentPaths(storage.Root);
        var salt = retrieval.SaltPath(paths);
        return state.IsPostgreSql
            ? new LibraryLocation(null, state.ConnectionString, salt)
            : new LibraryLocation(paths.Database, null, salt);
    }

    private static string Describe(NpgsqlConnectionStringBuilder connection) =>
        $"PostgreSQL database {connection.Database ?? connection.Username} on {connection.Host}:{connection.Port}";
}
