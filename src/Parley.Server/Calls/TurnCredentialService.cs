using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Parley.Server.Accounts;
using Parley.Server.Hosting;
using Parley.Server.Metrics;
using Parley.Server.Throttling;
using Parley.Wire.Rest;

namespace Parley.Server.Calls;

/// <summary>
/// Issues TURN credentials in coturn's time-limited scheme (<c>use-auth-secret</c>): username
/// <c>EXPIRY:OPAQUE</c>, password base64(HMAC-SHA1(secret, username)). The opaque part is random, so
/// the relay's logs cannot tell which account — let alone which pair of accounts — a relayed call
/// belongs to; the server keeps no record of it either. Requests are counted per account
/// (<see cref="CallOptions.CredentialsPerAccountPerHour"/>) in the shared <see cref="IThrottleStore"/>.
/// <c>parley_turn_credentials_total{outcome}</c> counts issued, rate-limited and not-configured
/// requests (never who asked).
/// </summary>
public sealed class TurnCredentialService(IOptions<CallOptions> options, IThrottleStore throttle, TimeProvider time, ParleyMetrics metrics)
{
    private readonly Prometheus.Counter requests = metrics.Factory.CreateCounter(
        "parley_turn_credentials_total", "TURN credential requests by outcome: issued, rate_limited, not_configured.",
        new Prometheus.CounterConfiguration { LabelNames = ["outcome"] });

    /// <summary>Random bytes in the opaque part of a username (22 characters of base64url).</summary>
    public const int OpaqueIdBytes = 16;

    /// <summary>
    /// A fresh credential for <paramref name="account"/>: 404 <c>calls-not-configured</c> without a
    /// relay, 429 with Retry-After over the hourly budget.
    /// </summary>
    public async Task<TurnCredentials> IssueAsync(AccountId account, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.IsConfigured)
        {
            requests.WithLabels("not_configured").Inc();
            throw new ProblemException(StatusCodes.Status404NotFound, CallRoutes.NotConfiguredProblem, "Calls are not configured on this server");
        }
        var budget = new ThrottleCharge("calls:turn:" + account.Value, o.CredentialsPerAccountPerHour, TimeSpan.FromHours(1));
        var reserved = await throttle.TryReserveAsync([budget], cancellationToken).ConfigureAwait(false);
        if (!reserved.Allowed)
        {
            requests.WithLabels("rate_limited").Inc();
            throw ProblemException.TooManyRequests(reserved.RetryAfter);
        }

        requests.WithLabels("issued").Inc();
        var ttl = (long)o.CredentialLifetime.TotalSeconds;
        var expiry = time.GetUtcNow().ToUnixTimeSeconds() + ttl;
        var username = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{expiry}:{Base64Url(RandomNumberGenerator.GetBytes(OpaqueIdBytes))}");
        return new TurnCredentials
        {
            Username = username,
            Password = Password(o.TurnSecret!, username),
            TtlSeconds = ttl,
            ExpiresAtMs = expiry * 1000,
            Uris = [.. o.TurnUris],
        };
    }

    /// <summary>base64(HMAC-SHA1(UTF-8 secret, UTF-8 username)), as coturn computes it.</summary>
    internal static string Password(string secret, string username)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        try
        {
            // SHA-1 is what coturn's REST-API scheme specifies; as an HMAC it remains a sound MAC.
#pragma warning disable CA5350
            return Convert.ToBase64String(HMACSHA1.HashData(key, Encoding.UTF8.GetBytes(username)));
#pragma warning restore CA5350
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
