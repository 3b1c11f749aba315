using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Server.Files;
using Parley.Server.Files.S3;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Files.Scenarios.TusRequests;

namespace Parley.Server.Tests.Files.Scenarios;

/// <summary>
/// The file feature with blobs in S3 (a private s3rver): a tus upload staged on the node then moved to
/// the bucket, a ranged download streamed from it, and expiry deleting the object.
/// </summary>
public sealed class S3FileScenarios : IClassFixture<S3ServerFixture>, IDisposable
{
    private readonly S3ServerFixture s3;
    private readonly TempDirectory directory = new();

    public S3FileScenarios(S3ServerFixture s3) => this.s3 = s3;

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task Upload_through_the_server_lands_in_the_bucket_and_downloads_with_ranges()
    {
        var options = s3.Server.Options();
        using var factory = new ParleyServerFactory(DatabaseKind.Sqlite, null, new Dictionary<string, string?>
        {
            ["Parley:Files:S3:ServiceUrl"] = options.ServiceUrl,
            ["Parley:Files:S3:Bucket"] = options.Bucket,
            ["Parley:Files:S3:AccessKey"] = options.AccessKey,
            ["Parley:Files:S3:SecretKey"] = options.SecretKey,
            ["Parley:Files:S3:KeyPrefix"] = options.KeyPrefix,
        });
        var (alice, _) = await FileTestAccounts.CreateAsync(factory, "alice");
        var (bob, _) = await FileTestAccounts.CreateAsync(factory, "bob");
        byte[] data = RandomNumberGenerator.GetBytes(300_000);
        string location = await CreateAsync(alice, data.Length);
        (await PatchAsync(alice, location, 0, data[..100_000])).Dispose();
        using (var last = await PatchAsync(alice, location, 100_000, data[100_000..]))
        {
            Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        }

        Assert.Empty(Directory.EnumerateFiles(factory.DataDirectory, "*" + LocalBlobStore.PartialSuffix, SearchOption.AllDirectories));
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await bob.GetByteArrayAsync(location).WaitAsync(Wait)));

        using var request = new HttpRequestMessage(HttpMethod.Get, location);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(250_000, 259_999);
        using var response = await bob.SendAsync(request).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(data[250_000..260_000], await response.Content.ReadAsByteArrayAsync().WaitAsync(Wait));
    }

    [Fact]
    public async Task Expiry_deletes_the_object_from_the_bucket()
    {
        var database = TestDatabases.Sqlite(directory);
        await TestDatabases.MigrateAsync(database, [new FilesMigrations()]);
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        using var blobs = new S3BlobStore(s3.Server.Options(), Path.Combine(directory.Path, "staging"), NullLogger<S3BlobStore>.Instance);
        var service = new FileService(new SqlFileStore(database), blobs, Options.Create(new FilesOptions()), clock, NullLogger<FileService>.Instance);
        var record = (await service.CreateAsync("1", 1000, CancellationToken.None).WaitAsync(Wait)).Value!;
        using (var body = new MemoryStream(new byte[1000]))
        {
            Assert.True((await service.AppendAsync("1", record.Id, 0, body, CancellationToken.None).WaitAsync(Wait)).Value!.IsComplete);
        }

        await using (var stored = await blobs.OpenReadAsync(record.Id, CancellationToken.None).WaitAsync(Wait))
        {
            Assert.NotNull(stored);
        }

        clock.Advance(FilesOptions.DefaultBlobTtl + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await service.RemoveExpiredAsync(CancellationToken.None).WaitAsync(Wait));
        Assert.Null(await blobs.OpenReadAsync(record.Id, CancellationToken.None).WaitAsync(Wait));
    }
}
