using Parley.Server.Files;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Files;

/// <summary>What only the local blob store promises (private modes) and the id and tus-number rules; the rest is in BlobStoreContract.</summary>
public sealed class LocalBlobStoreTests : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly LocalBlobStore store;

    public LocalBlobStoreTests() => store = new LocalBlobStore(Path.Combine(directory.Path, "blobs"));

    public void Dispose() => directory.Dispose();

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
