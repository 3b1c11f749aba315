using System.ComponentModel.DataAnnotations;
using Parley.Server.Hosting;
using Parley.Wire.Rest;

namespace Parley.Server.Calls;

/// <summary>
/// Configuration section <c>Calls</c>: the TURN relay the server hands credentials for. Calls are off
/// (the credential route answers 404 <c>calls-not-configured</c>) until both <see cref="TurnUris"/> and
/// <see cref="TurnSecret"/> are set; setting only one of them is a start-up error. The secret is the
/// one coturn has as <c>static-auth-secret</c>; it never appears in logs, problems or validation
/// messages.
/// </summary>
public sealed class CallOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Calls";

    /// <summary>Fewest characters of a shared secret (32 characters of base64 carry 192 bits).</summary>
    public const int MinSecretLength = 32;

    /// <summary>Longest shared secret accepted.</summary>
    public const int MaxSecretLength = 1024;

    /// <summary>Most TURN URIs handed out (the contract's <see cref="TurnUriRules.MaxUris"/>).</summary>
    public const int MaxTurnUris = TurnUriRules.MaxUris;

    /// <summary>Longest TURN URI (the contract's <see cref="TurnUriRules.MaxLength"/>).</summary>
    public const int MaxTurnUriLength = TurnUriRules.MaxLength;

    /// <summary>Default credential lifetime: 12 hours, long enough for any call it sets up.</summary>
    public static readonly TimeSpan DefaultCredentialLifetime = TimeSpan.FromHours(12);

    /// <summary>Default budget of credential requests per account and hour.</summary>
    public const int DefaultCredentialsPerAccountPerHour = 60;

    /// <summary>
    /// TURN server URIs (RFC 7065), e.g. <c>turn:turn.example.org:3478?transport=udp</c> and
    /// <c>turns:turn.example.org:5349?transport=tcp</c>; at most <see cref="MaxTurnUris"/>.
    /// </summary>
    public IList<string> TurnUris { get; } = [];

    /// <summary>coturn's <c>static-auth-secret</c>. Never logged.</summary>
    public string? TurnSecret { get; set; }

    /// <summary>How long a credential stays valid: 1 minute to 1 day (<see cref="CallRoutes.MaxCredentialLifetime"/>).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = OptionRules.Between)]
    public TimeSpan CredentialLifetime { get; set; } = DefaultCredentialLifetime;

    /// <summary>Credentials one account may fetch per hour (one per call attempt, a few retries on top).</summary>
    [Range(1, 100_000, ErrorMessage = OptionRules.Between)]
    public int CredentialsPerAccountPerHour { get; set; } = DefaultCredentialsPerAccountPerHour;

    /// <summary>Whether a relay is configured (both URIs and secret set).</summary>
    public bool IsConfigured => TurnUris.Count > 0 && !string.IsNullOrEmpty(TurnSecret);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var hasSecret = !string.IsNullOrEmpty(TurnSecret);
        if (hasSecret != TurnUris.Count > 0)
        {
            yield return new ValidationResult("Calls:TurnUris and Calls:TurnSecret must be set together (or neither, to turn calls off).");
        }
        if (hasSecret && (TurnSecret!.Length < MinSecretLength || TurnSecret.Length > MaxSecretLength))
        {
            yield return new ValidationResult($"Calls:TurnSecret must be {MinSecretLength} to {MaxSecretLength} characters long.");
        }
        if (TurnUris.Count > MaxTurnUris)
        {
            yield return new ValidationResult($"Calls:TurnUris may list at most {MaxTurnUris} URIs.");
        }
        for (var i = 0; i < TurnUris.Count; i++)
        {
            if (!TurnUriRules.IsValid(TurnUris[i]))
            {
                yield return new ValidationResult(
                    $"Calls:TurnUris:{i} must be a turn: or turns: URI (RFC 7065) of at most {MaxTurnUriLength} characters.");
            }
        }
    }
}
