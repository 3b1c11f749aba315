using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL 15 cluster for the whole test run: created in a temporary directory owned by
/// the <c>postgres</c> user (PostgreSQL refuses to run as root), listening on a free port on
/// 127.0.0.1, stopped and deleted when the test process exits. Each test class gets a fresh
/// database from <see cref="CreateDatabaseAsync"/>. A missing installation is a failure, not a skip:
/// CI installs the package.
/// </summary>
public sealed class PostgresServer
{
    /// <summary>Where Debian's postgresql-15 package puts the server binaries.</summary>
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    private static readonly Lazy<Task<PostgresServer>> Instance = new(StartAsync);

    private readonly string root;
    private readonly int port;

    private PostgresServer(string root, int port)
    {
        this.root = root;
        this.port = port;
    }

    /// <summary>Starts the cluster on first use; later calls return the same one.</summary>
    public static Task<PostgresServer> GetAsync() => Instance.Value;

    /// <summary>A connection string for a database on this cluster (as the superuser).</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=80;Timeout=30;Command Timeout=60";

    /// <summary>Creates an empty database with a random name; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync().WaitAsync(CommandTimeout);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync().WaitAsync(CommandTimeout);
        return ConnectionString(name);
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var initdb = Path.Combine(BinDirectory, "initdb");
        if (!File.Exists(initdb))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is required for the PostgreSQL tests but {initdb} is missing. " +
                "Install it with `apt-get update && apt-get install -y postgresql` (.ci/run does this).");
        }
        var root = Path.Combine(Path.GetTempPath(), "parley-pg-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(root);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", root], asPostgres: false);
        }
        var port = FreePort.Next();
        var data = Path.Combine(root, "data");
        await RunAsync(initdb, ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], asRoot);
        var options = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
            "-c full_page_writes=off -c max_connections=300";
        await RunAsync(Path.Combine(BinDirectory, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(root, "log"), "-o", options, "-w", "-t", "60", "start"], asRoot);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(data, root, asRoot);
        StartWatchdog(data, root, asRoot);
        return new PostgresServer(root, port);
    }

    /// <summary>
    /// The test host is often killed rather than exited (so ProcessExit never runs) and pg_ctl's
    /// server is a daemon that would outlive it. A detached shell polls this process every two seconds
    /// and, once it is gone, stops the cluster and deletes its directory.
    /// </summary>
    private static void StartWatchdog(string data, string root, bool asRoot)
    {
        var pgCtl = Path.Combine(BinDirectory, "pg_ctl");
        var stop = asRoot ? $"runuser -u postgres -- {pgCtl}" : pgCtl;
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 2; done; " +
            $"{stop} -D '{data}' -m immediate -w stop >/dev/null 2>&1; rm -rf '{root}'";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var a in (string[])["sh", "-c", script])
        {
            start.ArgumentList.Add(a);
        }
        using var watchdog = Process.Start(start) ?? throw new InvalidOperationException("Could not start the PostgreSQL watchdog.");
    }

    private static void Stop(string data, string root, bool asRoot)
    {
        // Synchronous: ProcessExit handlers get little time and no reliable thread pool.
        try
        {
            var start = new ProcessStartInfo(asRoot ? "runuser" : Path.Combine(BinDirectory, "pg_ctl")) { UseShellExecute = false };
            foreach (var a in asRoot ? ["-u", "postgres", "--", Path.Combine(BinDirectory, "pg_ctl")] : Array.Empty<string>())
            {
                start.ArgumentList.Add(a);
            }
            foreach (var a in (string[])["-D", data, "-m", "immediate", "-w", "stop"])
            {
                start.ArgumentList.Add(a);
            }
            using (var process = Process.Start(start))
            {
                process?.WaitForExit(10_000);
            }
            Directory.Delete(root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Best effort at process exit; the directory is in /tmp.
        }
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> args, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in (string[])["-u", "postgres", "--", file])
            {
                start.ArgumentList.Add(a);
            }
        }
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(CommandTimeout);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} failed with exit code {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}

/// <summary>A fresh PostgreSQL database for one test class (xunit class fixture).</summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    /// <summary>The connection string of this class's database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var server = await PostgresServer.GetAsync().WaitAsync(TimeSpan.FromMinutes(2));
        ConnectionString = await server.CreateDatabaseAsync();
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask; // The cluster is deleted at process exit.
}
