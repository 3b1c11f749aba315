using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Server.Files;
using Parley.Server.Files.S3;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Files.Contract;

/// <summary>
/// One suite, every blob store: the local directory and S3 (against a private s3rver). Partial objects
/// append and resume, only committed blobs are readable, reads are seekable (HTTP Range), large blobs
/// survive a multipart upload byte for byte (SHA-256), deletion is idempotent.
/// </summary>
public abstract class BlobStoreContract : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Staging (and, for the local store, committed) directory.</summary>
    protected TempDirectory Directory { get; } = new();

    /// <summary>The store under test.</summary>
    protected abstract IBlobStore Store { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the store and the directory.</summary>
    protected virtual void Dispose(bool disposing) => Directory.Dispose();

    [Fact]
    public async Task A_blob_is_readable_only_after_commit_and_its_partial_object_is_gone()
    {
        var id = BlobId.NewId();
        await using (var s = Store.OpenAppend(id, 0))
        {
            await s.WriteAsync(new byte[] { 1, 2, 3 });
        }

        Assert.Null(await Store.OpenReadAsync(id, CancellationToken.None).WaitAsync(Timeout));
        await Store.CommitAsync(id, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal([1, 2, 3], await ReadAllAsync(id));
        Assert.Throws<BlobMissingException>(() => Store.OpenAppend(id, 3));
    }

    [Fact]
    public async Task Reopening_at_an_offset_discards_unrecorded_bytes()
    {
        var id = BlobId.NewId();
        await using (var s = Store.OpenAppend(id, 0))
        {
            await s.WriteAsync(Enumerable.Range(0, 100).Select(i => (byte)i).ToArray());
        }

        await using (var s = Store.OpenAppend(id, 60))
        {
            Assert.Equal(60, s.Length);
            await s.WriteAsync(new byte[] { 255 });
        }

        await Store.CommitAsync(id, CancellationToken.None).WaitAsync(Timeout);
        var bytes = await ReadAllAsync(id);
        Assert.Equal(61, bytes.Length);
        Assert.Equal(59, bytes[59]);
        Assert.Equal(255, bytes[60]);
    }

    [Fact]
    public async Task Appending_past_the_stored_length_or_committing_nothing_is_refused()
    {
        var id = BlobId.NewId();
        Assert.Throws<BlobMissingException>(() => Store.OpenAppend(id, 5));
        await using (Store.OpenAppend(id, 0))
        {
        }

        Assert.Throws<BlobMissingException>(() => Store.OpenAppend(id, 1));
        await Assert.ThrowsAsync<BlobMissingException>(() => Store.CommitAsync(BlobId.NewId(), CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task An_empty_blob_commits_and_reads_as_empty()
    {
        var id = BlobId.NewId();
        await using (Store.OpenAppend(id, 0))
        {
        }

        await Store.CommitAsync(id, CancellationToken.None).WaitAsync(Timeout);
        Assert.Empty(await ReadAllAsync(id));
    }

    [Fact]
    public async Task Delete_removes_partial_and_committed_objects_and_is_idempotent()
    {
        var committed = BlobId.NewId();
        await WriteAsync(committed, new byte[10]);
        await Store.CommitAsync(committed, CancellationToken.None).WaitAsync(Timeout);
        var partial = BlobId.NewId();
        await WriteAsync(partial, new byte[10]);

        await Store.DeleteAsync(committed, CancellationToken.None).WaitAsync(Timeout);
        await Store.DeleteAsync(committed, CancellationToken.None).WaitAsync(Timeout);
        await Store.DeleteAsync(partial, CancellationToken.None).WaitAsync(Timeout);
        await Store.DeleteAsync(BlobId.NewId(), CancellationToken.None).WaitAsync(Timeout);

        Assert.Null(await Store.OpenReadAsync(committed, CancellationToken.None).WaitAsync(Timeout));
        Assert.Throws<BlobMissingException>(() => Store.OpenAppend(partial, 10));
    }

    [Fact]
    public async Task Reads_seek_like_a_file_so_ranges_fetch_only_what_is_asked()
    {
        var id = BlobId.NewId();
        var data = RandomNumberGenerator.GetBytes(100_000);
        await WriteAsync(id, data);
        await Store.CommitAsync(id, CancellationToken.None).WaitAsync(Timeout);

        await using var stream = (await Store.OpenReadAsync(id, CancellationToken.None).WaitAsync(Timeout))!;
        Assert.True(stream.CanSeek);
        Assert.Equal(data.Length, stream.Length);
        stream.Seek(70_000, SeekOrigin.Begin);
        var tail = await ReadToEndAsync(stream);
        Assert.Equal(data[70_000..], tail);
        stream.Position = 10;
        var middle = new byte[20];
        await stream.ReadExactlyAsync(middle).AsTask().WaitAsync(Timeout);
        Assert.Equal(data[10..30], middle);
    }

    [Fact]
    public async Task A_blob_larger_than_one_multipart_part_round_trips_byte_for_byte()
    {
        var id = BlobId.NewId();
        long size = S3BlobStore.PartBytes * 2 + 12_345;
        using var sent = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var s = Store.OpenAppend(id, 0))
        {
            var chunk = new byte[1024 * 1024];
            for (long written = 0; written < size; written += chunk.Length)
            {
                RandomNumberGenerator.Fill(chunk);
                int n = (int)Math.Min(chunk.Length, size - written);
                sent.AppendData(chunk, 0, n);
                await s.WriteAsync(chunk.AsMemory(0, n));
            }
        }

        await Store.CommitAsync(id, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        await using var read = (await Store.OpenReadAsync(id, CancellationToken.None).WaitAsync(Timeout))!;
        Assert.Equal(size, read.Length);
        var received = await SHA256.HashDataAsync(read).AsTask().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(sent.GetHashAndReset(), received);
    }

    private async Task WriteAsync(BlobId id, byte[] data)
    {
        await using var s = Store.OpenAppend(id, 0);
        await s.WriteAsync(data);
    }

    private async Task<byte[]> ReadAllAsync(BlobId id)
    {
        await using var stream = await Store.OpenReadAsync(id, CancellationToken.None).WaitAsync(Timeout);
        Assert.NotNull(stream);
        return await ReadToEndAsync(stream);
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy).WaitAsync(Timeout);
        return copy.ToArray();
    }
}

/// <summary>The contract against the local directory store.</summary>
public sealed class LocalBlobStoreContract : BlobStoreContract
{
    private readonly LocalBlobStore store;

    public LocalBlobStoreContract() => store = new LocalBlobStore(Path.Combine(Directory.Path, "blobs"));

    protected override IBlobStore Store => store;
}

/// <summary>The contract against S3 (a private s3rver started for this class).</summary>
public sealed class S3BlobStoreContract : BlobStoreContract, IClassFixture<S3ServerFixture>
{
    private readonly S3BlobStore store;

    public S3BlobStoreContract(S3ServerFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        store = new S3BlobStore(fixture.Server.Options(), Path.Combine(Directory.Path, "staging"), NullLogger<S3BlobStore>.Instance);
    }

    protected override IBlobStore Store => store;

    protected override void Dispose(bool disposing)
    {
        store.Dispose();
        base.Dispose(disposing);
    }
}
