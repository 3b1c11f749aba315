using Parley.Client.Errors;
using Parley.Client.Profiles;

namespace Parley.Client.Tests.Profiles;

public sealed class ProfileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("Bob_2.x-y", "bob_2.x-y")]
    public void Acceptable_user_names_parse_to_their_normal_form(string name, string normal) => Assert.Equal(normal, UserName.Parse(name).Value);

    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("../etc")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("ünï")]
    public void Hostile_user_names_are_refused(string name)
    {
        var e = Assert.Throws<ParleyClientException>(() => UserName.Parse(name));
        Assert.Equal(ClientErrorKind.InvalidInput, e.Kind);
    }

    [Fact]
    public void A_name_at_the_length_limit_parses_and_one_more_does_not()
    {
        Assert.True(UserName.TryParse(new string('a', UserName.MaxLength), out _));
        Assert.False(UserName.TryParse(new string('a', UserName.MaxLength + 1), out _));
        Assert.True(UserName.TryParse(new string('a', UserName.MinLength), out _));
        Assert.False(UserName.TryParse(new string('a', UserName.MinLength - 1), out _));
    }

    [Fact]
    public void Two_profiles_share_one_home_and_the_current_one_is_remembered()
    {
        var home = new ParleyHome(_dir.File("home"));
        foreach (var name in new[] { "alice", "bob" })
        {
            home.GetProfile(UserName.Parse(name)).WriteSettings(new ProfileSettings
            {
                UserName = name,
                Server = new Uri("https://127.0.0.1:8443"),
                ServerFingerprint = "SHA256:" + new string('a', 64),
            });
        }

        home.SetCurrentProfile(UserName.Parse("bob"));
        Assert.Equal(["alice", "bob"], home.ListProfiles().Select(p => p.Value));
        Assert.Equal("bob", home.GetCurrentProfile()!.User.Value);
        Assert.Equal("alice", home.RequireProfile("alice").ReadSettings().UserName);

        home.ClearCurrentProfile(UserName.Parse("bob"));
        Assert.Null(home.GetCurrentProfile());
        Assert.Equal(ClientErrorKind.NotLoggedIn, Assert.Throws<ParleyClientException>(() => home.RequireProfile(null)).Kind);
    }
}
