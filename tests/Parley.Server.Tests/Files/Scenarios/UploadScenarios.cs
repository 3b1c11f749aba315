using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Files;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Files.Scenarios.TusRequests;

namespace Parley.Server.Tests.Files.Scenarios;

/// <summary>
/// The tus upload and ranged download through the real server (in process) on SQLite and PostgreSQL:
/// round trips, resume at the server's offset, offset conflicts, size and quota limits at the limit and
/// one past it, ownership and authentication.
/// </summary>
public abstract class UploadScenarios : IDisposable
{
    /// <summary>Small limits so the tests sit exactly at and past them.</summary>
    public const long MaxBlob = 64 * 1024;
    public const long Quota = 100 * 1024;

    private readonly ParleyServerFactory factory;

    protected UploadScenarios(DatabaseKind kind, string? connectionString) =>
        factory = new ParleyServerFactory(kind, connectionString, new Dictionary<string, string?>
        {
            ["Parley:Files:MaxBlobBytes"] = MaxBlob.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Parley:Files:QuotaBytesPerAccount"] = Quota.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    public void Dispose()
    {
        factory.Dispose();
        GC.SuppressFinalize(this);
    }

    private Task<(HttpClient Client, Parley.Server.Accounts.AccountId Account)> UserAsync() =>
        FileTestAccounts.CreateAsync(factory, "u" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));

    [Fact]
    public async Task Upload_in_two_patches_then_download_returns_the_same_bytes()
    {
        var (alice, _) = await UserAsync();
        byte[] data = RandomNumberGenerator.GetBytes(50_000);
        string location = await CreateAsync(alice, data.Length);
        using (var first = await PatchAsync(alice, location, 0, data[..20_000]))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
            Assert.Equal(20_000, Offset(first));
            Assert.Equal("1.0.0", first.Headers.GetValues("Tus-Resumable").Single());
        }

        using (var head = await alice.SendAsync(Head(location)).WaitAsync(Wait))
        {
            Assert.Equal(20_000, Offset(head));
            Assert.Equal("50000", head.Headers.GetValues("Upload-Length").Single());
        }

        using (var second = await PatchAsync(alice, location, 20_000, data[20_000..]))
        {
            Assert.Equal(50_000, Offset(second));
        }

        var (bob, _) = await UserAsync();
        Assert.Equal(data, await bob.GetByteArrayAsync(location).WaitAsync(Wait));
    }

    [Fact]
    public async Task A_range_request_resumes_a_download()
    {
        var (alice, _) = await UserAsync();
        byte[] data = RandomNumberGenerator.GetBytes(10_000);
        string location = await CreateAsync(alice, data.Length);
        (await PatchAsync(alice, location, 0, data)).Dispose();
        using var request = new HttpRequestMessage(HttpMethod.Get, location);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(4_000, null);
        using var response = await alice.SendAsync(request).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(4_000, response.Content.Headers.ContentRange!.From);
        Assert.Equal(data[4_000..], await response.Content.ReadAsByteArrayAsync().WaitAsync(Wait));
    }

    [Fact]
    public async Task An_empty_file_is_complete_at_creation()
    {
        var (alice, _) = await UserAsync();
        string location = await CreateAsync(alice, 0);
        Assert.Empty(await alice.GetByteArrayAsync(location).WaitAsync(Wait));
    }

    [Fact]
    public async Task A_wrong_offset_is_a_409_and_changes_nothing()
    {
        var (alice, _) = await UserAsync();
        string location = await CreateAsync(alice, 1000);
        (await PatchAsync(alice, location, 0, new byte[300])).Dispose();
        foreach (long wrong in new long[] { 0, 299, 301, 1000 })
        {
            using var response = await PatchAsync(alice, location, wrong, new byte[10]);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        }

        using var head = await alice.SendAsync(Head(location)).WaitAsync(Wait);
        Assert.Equal(300, Offset(head));
    }

    [Fact]
    public async Task The_size_limit_admits_the_limit_and_refuses_one_byte_more()
    {
        var (alice, _) = await UserAsync();
        await CreateAsync(alice, MaxBlob);
        using var response = await alice.SendAsync(Create(MaxBlob + 1)).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>().WaitAsync(Wait);
        Assert.Equal("urn:parley:problem:file-too-large", problem?.Type);
    }

    [Fact]
    public async Task A_body_longer_than_the_declared_length_is_refused_and_not_stored()
    {
        var (alice, _) = await UserAsync();
        string location = await CreateAsync(alice, 100);
        using var response = await PatchAsync(alice, location, 0, new byte[101]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var head = await alice.SendAsync(Head(location)).WaitAsync(Wait);
        Assert.Equal(0, Offset(head));
    }

    [Fact]
    public async Task A_chunked_body_longer_than_the_declared_length_is_refused_and_not_stored()
    {
        var (alice, _) = await UserAsync();
        string location = await CreateAsync(alice, 100);
        using var request = Patch(location, 0, []);
        request.Content = new StreamContent(new MemoryStream(new byte[101]));
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/offset+octet-stream");
        request.Headers.TransferEncodingChunked = true;
        using var response = await alice.SendAsync(request).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var head = await alice.SendAsync(Head(location)).WaitAsync(Wait);
        Assert.Equal(0, Offset(head));
    }

    [Fact]
    public async Task The_quota_admits_the_limit_and_refuses_one_byte_more()
    {
        var (alice, _) = await UserAsync();
        await CreateAsync(alice, MaxBlob);
        await CreateAsync(alice, Quota - MaxBlob);
        using var response = await alice.SendAsync(Create(1)).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>().WaitAsync(Wait);
        Assert.Equal("urn:parley:problem:quota-exceeded", problem?.Type);
        var (bob, _) = await UserAsync();
        await CreateAsync(bob, 1);
    }

    [Fact]
    public async Task Other_users_cannot_append_delete_or_see_an_unfinished_upload()
    {
        var (alice, _) = await UserAsync();
        var (mallory, _) = await UserAsync();
        string location = await CreateAsync(alice, 100);
        using (var append = await PatchAsync(mallory, location, 0, new byte[10]))
        {
            Assert.Equal(HttpStatusCode.Forbidden, append.StatusCode);
        }

        using (var head = await mallory.SendAsync(Head(location)).WaitAsync(Wait))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        using (var delete = new HttpRequestMessage(HttpMethod.Delete, location))
        {
            delete.Headers.Add("Tus-Resumable", "1.0.0");
            using var response = await mallory.SendAsync(delete).WaitAsync(Wait);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using (var get = await mallory.GetAsync(location).WaitAsync(Wait))
        {
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }

        using var own = await alice.SendAsync(Head(location)).WaitAsync(Wait);
        Assert.Equal(0, Offset(own));
    }

    [Fact]
    public async Task The_owner_can_terminate_an_upload()
    {
        var (alice, _) = await UserAsync();
        string location = await CreateAsync(alice, 10);
        (await PatchAsync(alice, location, 0, new byte[10])).Dispose();
        using var delete = new HttpRequestMessage(HttpMethod.Delete, location);
        delete.Headers.Add("Tus-Resumable", "1.0.0");
        using (var response = await alice.SendAsync(delete).WaitAsync(Wait))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        using var get = await alice.GetAsync(location).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Every_file_endpoint_refuses_requests_without_a_token()
    {
        var (alice, _) = await UserAsync();
        string location = await CreateAsync(alice, 10);
        using var anonymous = factory.CreateClient();
        foreach (var request in new[] { Create(10), Head(location), Patch(location, 0, new byte[10]), new HttpRequestMessage(HttpMethod.Get, location) })
        {
            using (request)
            {
                using var response = await anonymous.SendAsync(request).WaitAsync(Wait);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
        }

        using var head = await alice.SendAsync(Head(location)).WaitAsync(Wait);
        Assert.Equal(0, Offset(head));
    }

    [Fact]
    public async Task Deleting_an_account_deletes_its_files_through_the_deletion_hook()
    {
        var (alice, account) = await UserAsync();
        string location = await CreateAsync(alice, 10);
        (await PatchAsync(alice, location, 0, new byte[10])).Dispose();
        var listeners = factory.Services.GetServices<Parley.Server.Accounts.IAccountDeletionListener>();
        var files = Assert.Single(listeners.OfType<FileAccountDeletionListener>());
        await files.OnAccountDeletingAsync(account, CancellationToken.None).WaitAsync(Wait);
        using var get = await alice.GetAsync(location).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Options_advertises_the_protocol_and_the_limit()
    {
        using var anonymous = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/files");
        using var response = await anonymous.SendAsync(request).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Version").Single());
        Assert.Equal(MaxBlob.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("Tus-Max-Size").Single());
    }
}

public sealed class UploadScenariosSqlite() : UploadScenarios(DatabaseKind.Sqlite, null);

public sealed class UploadScenariosPostgres(PostgresDatabaseFixture fixture)
    : UploadScenarios(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
