using Parley.Server.Files;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Files;

/// <summary>The local blob store: partial objects, commit by rename, private modes, strict ids.</summary>
public sealed class LocalBlobStoreTests : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly LocalBlobStore store;

    public LocalBlobStoreTests() => store = new LocalBlobStore(Path.Combine(directory.Path, "blobs"));

    public void Dispose() => directory.Dispose();

    [Fact]
    public void A_blob_is_readable_only_after_commit()
    {
        var id = BlobId.NewId();
        using (var s = store.OpenAppend(id, 0))
        {
            s.Write([1, 2, 3]);
        }

        Assert.Null(store.OpenRead(id));
        Assert.True(File.Exists(store.PartialPath(id)));
        store.Commit(id);
        Assert.False(File.Exists(store.PartialPath(id)));
        using var read = store.OpenRead(id);
        Assert.NotNull(read);
        var bytes = new byte[4];
        Assert.Equal(3, read.Read(bytes));
    }

    [Fact]
    public void Reopening_at_an_offset_discards_unrecorded_bytes()
    {
        var id = BlobId.NewId();
        using (var s = store.OpenAppend(id, 0))
        {
            s.Write(new byte[100]);
        }

        using (var s = store.OpenAppend(id, 60))
        {
            Assert.Equal(60, s.Length);
            s.Write([9]);
        }

        Assert.Equal(61, new FileInfo(store.PartialPath(id)).Length);
    }

    [Fact]
    public void Appending_past_the_stored_length_or_to_a_missing_object_is_refused()
    {
        var id = BlobId.NewId();
        Assert.Throws<BlobMissingException>(() => store.OpenAppend(id, 5));
        using (store.OpenAppend(id, 0))
        {
        }

        Assert.Throws<BlobMissingException>(() => store.OpenAppend(id, 1));
        Assert.Throws<BlobMissingException>(() => store.Commit(BlobId.NewId()));
    }

    [Fact]
    public void Delete_removes_partial_and_committed_objects_and_is_idempotent()
    {
        var id = BlobId.NewId();
        using (store.OpenAppend(id, 0))
        {
        }

        store.Commit(id);
        store.Delete(id);
        store.Delete(id);
        store.Delete(BlobId.NewId()); // never written: not even its shard directory exists
        Assert.Null(store.OpenRead(id));
        Assert.False(File.Exists(store.FinalPath(id)));
    }

    [Fact]
    public void Blob_files_are_private_to_the_server_user()
    {
        var id = BlobId.NewId();
        using (store.OpenAppend(id, 0))
        {
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.PartialPath(id)));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    [InlineData("0123456789ABCDEF0123456789abcdef")]
    [InlineData("../../../../etc/passwd/00000000000")]
    [InlineData("0123456789abcdef0123456789abcd/f")]
    [InlineData("0123456789abcdef0123456789abcde\u0660")]
    public void Malformed_ids_are_refused(string text) => Assert.False(BlobId.TryParse(text, out _));

    [Fact]
    public void Fresh_ids_are_distinct_and_round_trip()
    {
        var a = BlobId.NewId();
        Assert.NotEqual(a, BlobId.NewId());
        Assert.True(BlobId.TryParse(a.Value, out var parsed));
        Assert.Equal(a, parsed);
    }

    [Theory]
    [InlineData("0", true, 0L)]
    [InlineData("123", true, 123L)]
    [InlineData("999999999999999999", true, 999_999_999_999_999_999L)]
    [InlineData("1000000000000000000", false, 0L)]
    [InlineData("-1", false, 0L)]
    [InlineData("+1", false, 0L)]
    [InlineData(" 1", false, 0L)]
    [InlineData("1 ", false, 0L)]
    [InlineData("1e3", false, 0L)]
    [InlineData("0x10", false, 0L)]
    [InlineData("1,2", false, 0L)]
    [InlineData("", false, 0L)]
    [InlineData("\u0661", false, 0L)]
    public void Tus_numbers_are_plain_decimal_digits(string text, bool ok, long value)
    {
        Assert.Equal(ok, TusProtocol.TryParseNonNegative(text, out long parsed));
        Assert.Equal(value, parsed);
    }
}
