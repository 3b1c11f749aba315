using Parley.Client.Errors;
using Parley.Client.Storage;

namespace Parley.Client.Tests.Storage;

public sealed class KeyFileTests
{
    private static readonly KdfCost Cheap = KdfCost.Minimum;

    [Fact]
    public void Unwrap_with_the_right_password_returns_the_same_key()
    {
        using var key = StoreKey.Generate();
        var file = KeyFile.Wrap(key, "correct horse battery staple", Cheap);
        using var back = KeyFile.Unwrap(file, "correct horse battery staple");
        Assert.True(back.Bytes.SequenceEqual(key.Bytes));
        Assert.Equal(KeyFile.FileSize, file.Length);
    }

    [Fact]
    public void Unwrap_with_a_wrong_password_is_WrongPassword()
    {
        using var key = StoreKey.Generate();
        var file = KeyFile.Wrap(key, "correct horse battery staple", Cheap);
        var e = Assert.Throws<ParleyClientException>(() => KeyFile.Unwrap(file, "Correct horse battery staple"));
        Assert.Equal(ClientErrorKind.WrongPassword, e.Kind);
    }

    [Fact]
    public void Lowering_the_declared_cost_is_detected()
    {
        using var key = StoreKey.Generate();
        var file = KeyFile.Wrap(key, "pw", new KdfCost(Cheap.MemoryKiB * 2, 1));
        file[7] ^= 0x40; // memory field now differs, and the header is authenticated
        var e = Assert.Throws<ParleyClientException>(() => KeyFile.Unwrap(file, "pw"));
        Assert.True(e.Kind is ClientErrorKind.WrongPassword or ClientErrorKind.StoreCorrupt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(KeyFile.FileSize - 1)]
    [InlineData(KeyFile.FileSize + 1)]
    public void Wrong_sizes_are_corrupt_without_running_the_kdf(int size)
    {
        var e = Assert.Throws<ParleyClientException>(() => KeyFile.Unwrap(new byte[size], "pw"));
        Assert.Equal(ClientErrorKind.StoreCorrupt, e.Kind);
    }

    [Fact]
    public void A_cost_above_the_limit_is_refused_before_deriving()
    {
        using var key = StoreKey.Generate();
        var file = KeyFile.Wrap(key, "pw", Cheap);
        file[5] = 0xFF; // memory ≈ 4 TiB: must be rejected, not attempted
        var e = Assert.Throws<ParleyClientException>(() => KeyFile.Unwrap(file, "pw"));
        Assert.Equal(ClientErrorKind.StoreCorrupt, e.Kind);
    }

    [Fact]
    public void Store_key_ToString_shows_only_the_type_name()
    {
        using var key = StoreKey.Generate();
        Assert.Equal("StoreKey", key.ToString());
    }
}
