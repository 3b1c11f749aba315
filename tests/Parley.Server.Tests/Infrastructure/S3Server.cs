using System.Security.Cryptography;
using Parley.Server.Files.S3;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// A private S3 server (npm's s3rver, pinned in tests/support/s3rver, installed by .ci/run) in a
/// temporary directory on a free port on 127.0.0.1, with one bucket. s3rver accepts the fixed
/// credentials S3RVER/S3RVER. A missing installation is a failure, not a skip.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    /// <summary>The bucket created at start-up.</summary>
    public const string Bucket = "parley";

    private readonly ExternalProcess process;
    private readonly TempDirectory directory;

    private S3Server(ExternalProcess process, TempDirectory directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>Options pointing the S3 blob store at this server (a fresh key prefix per call).</summary>
    public S3BlobOptions Options() => new()
    {
        ServiceUrl = $"http://127.0.0.1:{Port}",
        Bucket = Bucket,
        AccessKey = "S3RVER",
        SecretKey = "S3RVER",
        ForcePathStyle = true,
        KeyPrefix = "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + "/",
    };

    /// <summary>Starts a server.</summary>
    public static async Task<S3Server> StartAsync()
    {
        var script = System.IO.Path.Combine(RepositoryRoot.Path, "tests", "support", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"s3rver is required for the S3 tests but {script} is missing. Run `npm ci --prefix tests/support/s3rver` (.ci/run does this).");
        }

        var directory = new TempDirectory();
        var port = FreePort.Next();
        var process = await ExternalProcess.StartAsync("node",
            [script, "-d", directory.Path, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--no-vhost-buckets", "--configure-bucket", Bucket],
            line => line.Contains("S3rver listening", StringComparison.Ordinal));
        return new S3Server(process, directory, port);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        directory.Dispose();
    }
}

/// <summary>One s3rver for a test class (xunit class fixture).</summary>
public sealed class S3ServerFixture : IAsyncLifetime
{
    /// <summary>The running server.</summary>
    public S3Server Server { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Server = await S3Server.StartAsync().WaitAsync(TimeSpan.FromMinutes(2));

    /// <inheritdoc />
    public async Task DisposeAsync() => await Server.DisposeAsync();
}
