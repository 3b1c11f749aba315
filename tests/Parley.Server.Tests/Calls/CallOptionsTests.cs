using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Server.Calls;
using Parley.Server.Hosting;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Calls;

/// <summary>
/// The <c>Calls</c> section is checked when the server starts: each limit at its bound and one past
/// it, the URIs and the secret together or not at all, and no message ever repeats the secret.
/// </summary>
public sealed class CallOptionsTests
{
    private const string GoodSecret = "0123456789abcdef0123456789abcdef"; // exactly MinSecretLength

    [Theory]
    [InlineData("Calls:CredentialLifetime", "1.00:00:00")]
    [InlineData("Calls:CredentialLifetime", "00:01:00")]
    [InlineData("Calls:CredentialsPerAccountPerHour", "1")]
    [InlineData("Calls:CredentialsPerAccountPerHour", "100000")]
    public void Values_at_a_limit_are_accepted(string key, string value) => Assert.Null(Validate(Relay(key, value)));

    [Theory]
    [InlineData("Calls:CredentialLifetime", "1.00:00:01", "Calls:CredentialLifetime must be between")]
    [InlineData("Calls:CredentialLifetime", "00:00:59", "Calls:CredentialLifetime must be between")]
    [InlineData("Calls:CredentialsPerAccountPerHour", "0", "Calls:CredentialsPerAccountPerHour must be between")]
    [InlineData("Calls:CredentialsPerAccountPerHour", "100001", "Calls:CredentialsPerAccountPerHour must be between")]
    [InlineData("Calls:TurnUris:0", "stun:127.0.0.1:3478", "Calls:TurnUris:0 must be a turn: or turns: URI")]
    [InlineData("Calls:TurnUris:0", "http://127.0.0.1:3478", "Calls:TurnUris:0 must be a turn: or turns: URI")]
    [InlineData("Calls:TurnUris:0", "turn:", "Calls:TurnUris:0 must be a turn: or turns: URI")]
    [InlineData("Calls:TurnUris:0", "turn:host name", "Calls:TurnUris:0 must be a turn: or turns: URI")]
    public void Values_one_past_a_limit_are_refused_naming_the_key(string key, string value, string expected) =>
        Assert.Contains(expected, Validate(Relay(key, value)), StringComparison.Ordinal);

    [Fact]
    public void Secret_length_is_checked_at_the_limit_and_one_past_it_without_repeating_the_secret()
    {
        Assert.Null(Validate(Relay("Calls:TurnSecret", GoodSecret)));
        var shortSecret = GoodSecret[..(CallOptions.MinSecretLength - 1)];
        var message = Validate(Relay("Calls:TurnSecret", shortSecret));
        Assert.Contains("Calls:TurnSecret must be 32 to 1024 characters long.", message, StringComparison.Ordinal);
        Assert.DoesNotContain(shortSecret, message, StringComparison.Ordinal);
        Assert.Null(Validate(Relay("Calls:TurnSecret", new string('s', CallOptions.MaxSecretLength))));
        Assert.NotNull(Validate(Relay("Calls:TurnSecret", new string('s', CallOptions.MaxSecretLength + 1))));
    }

    [Fact]
    public void Uri_count_is_checked_at_the_limit_and_one_past_it()
    {
        var settings = Relay("Calls:TurnSecret", GoodSecret);
        for (var i = 0; i < CallOptions.MaxTurnUris; i++)
        {
            settings[$"Calls:TurnUris:{i}"] = $"turn:relay{i}.example.org:3478";
        }
        Assert.Null(Validate(settings));
        settings[$"Calls:TurnUris:{CallOptions.MaxTurnUris}"] = "turn:one-more.example.org";
        Assert.Contains("Calls:TurnUris may list at most 8 URIs.", Validate(settings), StringComparison.Ordinal);
        var longUri = "turn:" + new string('a', CallOptions.MaxTurnUriLength - 5);
        Assert.Null(Validate(Relay("Calls:TurnUris:0", longUri)));
        Assert.NotNull(Validate(Relay("Calls:TurnUris:0", longUri + "a")));
    }

    [Fact]
    public void Uris_and_secret_go_together_and_neither_means_calls_are_off()
    {
        Assert.Null(Validate([]));
        const string Together = "Calls:TurnUris and Calls:TurnSecret must be set together";
        Assert.Contains(Together, Validate(new() { ["Calls:TurnUris:0"] = "turn:127.0.0.1:3478" }), StringComparison.Ordinal);
        var onlySecret = Validate(new() { ["Calls:TurnSecret"] = GoodSecret });
        Assert.Contains(Together, onlySecret, StringComparison.Ordinal);
        Assert.DoesNotContain(GoodSecret, onlySecret, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_refuses_to_start_with_half_a_relay_in_one_sentence()
    {
        using var data = new TempDirectory();
        var (exit, output) = await ServerProcess.RunCommandAsync("--data", data.Path, "--Calls:TurnSecret=" + GoodSecret,
            "--urls", "https://127.0.0.1:" + FreePort.Next());
        Assert.Equal(2, exit);
        Assert.Contains("Calls:TurnUris and Calls:TurnSecret must be set together", output, StringComparison.Ordinal);
        Assert.DoesNotContain(GoodSecret, output, StringComparison.Ordinal);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static Dictionary<string, string?> Relay(string key, string value)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Calls:TurnUris:0"] = "turn:127.0.0.1:3478",
            ["Calls:TurnSecret"] = GoodSecret,
        };
        settings[key] = value;
        return settings;
    }

    /// <summary>Binds and validates as the server does at start; the failure message, or null when valid.</summary>
    private static string? Validate(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddValidatedOptions<CallOptions>(CallOptions.SectionName);
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<CallOptions>>().Value;
            return null;
        }
        catch (OptionsValidationException exception)
        {
            return exception.Message;
        }
    }
}
