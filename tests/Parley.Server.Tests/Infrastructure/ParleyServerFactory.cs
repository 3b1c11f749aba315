using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Storage;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// The real server in process (WebApplicationFactory) on a temporary data directory and the chosen
/// database. Settings override the configuration; tests use them to lower the Argon2 minimum and
/// the proof-of-work difficulty explicitly.
/// </summary>
public sealed class ParleyServerFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory dataDirectory = new();
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? configureServices;

    /// <summary>Creates a factory for SQLite (connection string null) or PostgreSQL.</summary>
    public ParleyServerFactory(DatabaseKind kind, string? postgresConnectionString, IReadOnlyDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? services = null)
    {
        configureServices = services;
        Kind = kind;
        ConnectionString = postgresConnectionString;
        settings = new Dictionary<string, string?>(TestSettings.Fast)
        {
            ["Parley:DataDirectory"] = dataDirectory.Path,
            ["Storage:Provider"] = kind == DatabaseKind.Postgres ? "postgres" : "sqlite",
            ["Storage:ConnectionString"] = postgresConnectionString,
        };
        if (kind == DatabaseKind.Postgres && postgresConnectionString is null)
        {
            throw new ArgumentNullException(nameof(postgresConnectionString));
        }
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
    }

    /// <summary>The data directory this server uses.</summary>
    public string DataDirectory => dataDirectory.Path;

    /// <summary>The database engine.</summary>
    public DatabaseKind Kind { get; }

    /// <summary>The PostgreSQL connection string, or null for SQLite.</summary>
    public string? ConnectionString { get; }

    /// <summary>Arguments that point an admin command (<c>parley-server users …</c>) at this server's data.</summary>
    public string[] AdminArguments => Kind == DatabaseKind.Postgres
        ? ["--data", DataDirectory, "--Storage:Provider=postgres", "--Storage:ConnectionString=" + ConnectionString]
        : ["--data", DataDirectory];

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (key, value) in settings)
        {
            if (value is not null)
            {
                builder.UseSetting(key, value);
            }
        }
        if (configureServices is not null)
        {
            builder.ConfigureTestServices(configureServices);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            dataDirectory.Dispose();
        }
    }
}

/// <summary>Settings that make tests fast; each one is a server setting an operator could also lower.</summary>
public static class TestSettings
{
    /// <summary>Argon2id memory the test clients use (KiB); the server minimum is lowered to it.</summary>
    public const int Argon2MemoryKiB = 1024;

    /// <summary>Argon2id iterations the test clients use.</summary>
    public const int Argon2Iterations = 1;

    /// <summary>Low proof-of-work difficulty for tests (bits).</summary>
    public const int PowDifficulty = 4;

    /// <summary>The overrides applied to every test server.</summary>
    public static IReadOnlyDictionary<string, string?> Fast { get; } = new Dictionary<string, string?>
    {
        ["Accounts:MinArgon2MemoryKiB"] = Argon2MemoryKiB.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Accounts:MinArgon2Iterations"] = Argon2Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Accounts:PowDifficulty"] = PowDifficulty.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
