using System.Globalization;
using Parley.Client.Calls;
using Parley.Wire.Rest;

namespace Parley.Client.Tests.Calls;

/// <summary>
/// What the client accepts as TURN credentials: the server's answer is checked before a browser is
/// configured with it; each limit at the limit and one past it.
/// </summary>
public sealed class TurnCredentialCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_credential_as_the_server_issues_it_is_accepted()
    {
        Assert.True(TurnCredentialCheck.IsValid(Credential(), Now));
        Assert.True(TurnCredentialCheck.IsValid(Credential(uris: ["turns:turn.example.org:5349?transport=tcp"]), Now));
    }

    [Fact]
    public void The_lifetime_is_checked_at_one_day_and_one_second_past_it()
    {
        Assert.True(TurnCredentialCheck.IsValid(Credential(lifetime: TimeSpan.FromDays(1)), Now));
        Assert.False(TurnCredentialCheck.IsValid(Credential(lifetime: TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1)), Now));
        Assert.False(TurnCredentialCheck.IsValid(Credential(ttl: 86_401), Now));
        Assert.False(TurnCredentialCheck.IsValid(Credential(ttl: 0), Now));
    }

    [Fact]
    public void An_expired_credential_is_refused()
    {
        Assert.True(TurnCredentialCheck.IsValid(Credential(lifetime: TimeSpan.FromSeconds(1)), Now));
        Assert.False(TurnCredentialCheck.IsValid(Credential(lifetime: TimeSpan.Zero, ttl: 3600), Now));
        Assert.False(TurnCredentialCheck.IsValid(Credential(lifetime: TimeSpan.FromSeconds(-60), ttl: 3600), Now));
    }

    [Fact]
    public void Uri_limits_hold_at_the_limit_and_one_past_it()
    {
        Assert.True(TurnCredentialCheck.IsValid(Credential(uris: [.. Enumerable.Repeat("turn:a", TurnCredentialCheck.MaxUris)]), Now));
        Assert.False(TurnCredentialCheck.IsValid(Credential(uris: [.. Enumerable.Repeat("turn:a", TurnCredentialCheck.MaxUris + 1)]), Now));
        var longest = "turn:" + new string('a', TurnCredentialCheck.MaxUriLength - 5);
        Assert.True(TurnCredentialCheck.IsValid(Credential(uris: [longest]), Now));
        Assert.False(TurnCredentialCheck.IsValid(Credential(uris: [longest + "a"]), Now));
        Assert.False(TurnCredentialCheck.IsValid(Credential(uris: []), Now));
    }

    [Theory]
    [InlineData("stun:stun.example.org:3478")] // would reveal the user's address to that server
    [InlineData("https://turn.example.org")]
    [InlineData("turn:")]
    [InlineData("turn:?transport=udp")]
    [InlineData("turn:host name")]
    public void Anything_but_a_turn_uri_is_refused(string uri) =>
        Assert.False(TurnCredentialCheck.IsValid(Credential(uris: ["turn:127.0.0.1:3478", uri]), Now));

    [Theory]
    [InlineData("1796040000")]
    [InlineData("1796040000:")]
    [InlineData(":abc")]
    [InlineData("-1796040000:abc")]
    [InlineData("1796040000:a/b")]
    [InlineData("1796040000:alice:bob")]
    public void A_malformed_username_is_refused(string username) =>
        Assert.False(TurnCredentialCheck.IsValid(Credential() with { Username = username }, Now));

    [Fact]
    public void The_opaque_part_is_checked_at_its_limit_and_one_past_it()
    {
        var expiry = Now.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        Assert.True(TurnCredentialCheck.IsValid(Credential(TimeSpan.FromHours(1)) with { Username = expiry + ":" + new string('a', TurnCredentialCheck.MaxOpaqueLength) }, Now));
        Assert.False(TurnCredentialCheck.IsValid(Credential(TimeSpan.FromHours(1)) with { Username = expiry + ":" + new string('a', TurnCredentialCheck.MaxOpaqueLength + 1) }, Now));
    }

    [Fact]
    public void Inconsistent_expiry_or_a_malformed_password_is_refused()
    {
        var good = Credential();
        Assert.False(TurnCredentialCheck.IsValid(good with { ExpiresAtMs = good.ExpiresAtMs + 1000 }, Now));
        Assert.False(TurnCredentialCheck.IsValid(good with { Password = "not base64 at all, 28 chars" }, Now));
        Assert.False(TurnCredentialCheck.IsValid(good with { Password = Convert.ToBase64String(new byte[21]) }, Now));
        Assert.False(TurnCredentialCheck.IsValid(null, Now));
    }

    private static Cred Credential(TimeSpan? lifetime = null, long? ttl = null, string[]? uris = null)
    {
        var life = lifetime ?? TimeSpan.FromHours(12);
        var expiry = Now.Add(life).ToUnixTimeSeconds();
        return new Cred(expiry.ToString(CultureInfo.InvariantCulture) + ":q3mD0y5c1ZqjZlGm3X4VZg", Convert.ToBase64String(new byte[20]),
            ttl ?? (long)life.TotalSeconds, expiry * 1000, uris ?? ["turn:127.0.0.1:3478?transport=udp"]);
    }

    /// <summary>A credential as a record, so tests can vary one field.</summary>
    private sealed record Cred(string Username, string Password, long TtlSeconds, long ExpiresAtMs, string[] Uris)
    {
        public static implicit operator TurnCredentials(Cred c) => new()
        {
            Username = c.Username, Password = c.Password, TtlSeconds = c.TtlSeconds, ExpiresAtMs = c.ExpiresAtMs, Uris = c.Uris,
        };
    }
}
