using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CxrPacsAgent.Testing;

/// <summary>
/// A private PostgreSQL 15 cluster for the tests: Debian's binaries, a data folder in a temp folder owned by the
/// postgres user (initdb and the server refuse to run as root), listening on 127.0.0.1 at a free port. One per test
/// run (a collection fixture); each test class or test takes databases of its own with <see cref="CreateDatabaseAsync"/>.
/// fsync is off: the tests stop the server, they never lose the machine's power.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    public const string Collection = "PostgreSQL";

    /// <summary>Why the tests that need the pgvector extension skip where the server lacks it.</summary>
    public const string PgvectorNotInstalled =
        "pgvector extension not installed: Debian 12 does not package it (postgresql-15-pgvector is in the PGDG repository); this test runs where the server has it";

    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "cxr-pg-" + Guid.NewGuid().ToString("N")[..12]);
    private int databases;

    public int Port { get; private set; }

    private string DataFolder => Path.Combine(folder, "data");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(Bin, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({Bin}/initdb is missing): apt-get install postgresql-15 (.ci/run installs it)");
        }
        Directory.CreateDirectory(folder);
        if (IsRoot)
        {
            await RunAsync("chown", "-R", "postgres:postgres", folder).ConfigureAwait(false);
        }
        await PgAsync("initdb", "-D", DataFolder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync").ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            try
            {
                await StartAsync().ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                // Another process took the port between our look and the server's bind: take another.
            }
        }
    }

    /// <summary>Starts the server (again) on <see cref="Port"/>, waiting until it accepts connections.</summary>
    public Task StartAsync() => PgAsync("pg_ctl", "-D", DataFolder, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o",
        $"-c listen_addresses=127.0.0.1 -p {Port} -k {folder} -c fsync=off -c full_page_writes=off -c max_connections=200", "start");

    /// <summary>Stops the server at once, as a crash would (no checkpoint; it recovers from its WAL at the next start).</summary>
    public Task StopImmediatelyAsync() => PgAsync("pg_ctl", "-D", DataFolder, "-m", "immediate", "-w", "stop");

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Interlocked.Increment(ref databases)}_{Guid.NewGuid().ToString("N")[..8]}";
        // Unpooled: a pooled session would be a dead one after a test stopped and started the server.
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false"))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Database = database, Username = "postgres", Timeout = 5 }.ToString();

    public async Task DisposeAsync()
    {
        try
        {
            if (Port != 0)
            {
                await StopImmediatelyAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a PostgreSQL program as the postgres user when we are root (as CI is), else as ourselves.</summary>
    private static Task PgAsync(string program, params string[] arguments) =>
        IsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(Bin, program), .. arguments])
            : RunAsync(Path.Combine(Bin, program), arguments);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }
    }
}

/// <summary>
/// The tests that share the <see cref="PostgresCluster"/>. They run by themselves, after the parallel collections: the
/// ones with two agent processes would otherwise take the CPU that other tests' timings count on.
/// </summary>
[CollectionDefinition(PostgresCluster.Collection, DisableParallelization = true)]
public sealed class PostgresClusterCollection : ICollectionFixture<PostgresCluster>;
