using Parley.Client.Profiles;
using Parley.Client.Storage;

namespace Parley.Client.Tests.Storage;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]

public sealed class UnlockedKeyCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_key_is_kept_in_a_private_file_outside_the_profile_and_forgotten_on_logout()
    {
        var home = new ParleyHome(_dir.File("home"));
        var profile = home.GetProfile(UserName.Parse("alice"));
        var cache = new UnlockedKeyCache(_dir.File("run"));
        using var key = StoreKey.Generate();

        cache.Save(profile, key);
        var path = cache.PathFor(profile);
        Assert.False(path.StartsWith(home.Root, StringComparison.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(cache.Directory));

        using (var loaded = cache.TryLoad(profile))
        {
            Assert.NotNull(loaded);
            Assert.True(loaded.Bytes.SequenceEqual(key.Bytes));
        }

        cache.Forget(profile);
        Assert.False(File.Exists(path));
        Assert.Null(cache.TryLoad(profile));
    }

    [Fact]
    public void The_same_user_in_two_homes_gets_two_key_files()
    {
        var cache = new UnlockedKeyCache(_dir.File("run"));
        var a = new ParleyHome(_dir.File("a")).GetProfile(UserName.Parse("alice"));
        var b = new ParleyHome(_dir.File("b")).GetProfile(UserName.Parse("alice"));
        Assert.NotEqual(cache.PathFor(a), cache.PathFor(b));
    }
}
