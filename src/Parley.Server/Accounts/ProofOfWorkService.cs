using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Parley.Crypto.Auth;
using Parley.Server.Hosting;
using Parley.Server.Throttling;
using Parley.Wire.Rest;

namespace Parley.Server.Accounts;

/// <summary>
/// Issues and checks proof-of-work challenges. A challenge is self-describing and authenticated, so
/// issuing one stores nothing: <c>nonce(16) || difficulty(1) || expiresAt unix seconds(8, big-endian)
/// || HMAC-SHA256(serverKey, first 25 bytes)</c> (57 bytes). Only a solved challenge is recorded, to
/// refuse its reuse. The difficulty rises while registrations exceed a threshold per minute, counted
/// in <see cref="IThrottleStore"/> — so across every node of a cluster.
/// </summary>
/// <remarks>
/// The rate is counted in one counter per minute of the clock (the store has no other kind of
/// shared state) and read as a sliding window: this minute's registrations plus the previous
/// minute's, weighted by the share of that minute still inside the last 60 seconds. A burst that
/// straddles the turn of a minute therefore counts whole, and the difficulty is back at its base at
/// most two quiet minutes after the burst.
/// </remarks>
public sealed class ProofOfWorkService(
    IOptions<AccountOptions> options, ServerSecret secret, LoginChallengeStore store, IThrottleStore rates, TimeProvider time)
{
    /// <summary>Length of an encoded challenge.</summary>
    public const int ChallengeLength = 57;

    /// <summary>The span <see cref="AccountOptions.RegistrationsPerMinuteThreshold"/> counts over, and one counter's bucket.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    private const int NonceLength = 16;
    private const int SignedLength = NonceLength + 1 + 8;
    private const string RateKeyPrefix = "pow:registrations:";
    private readonly byte[] macKey = secret.Derive("pow-challenge-mac", []);

    /// <summary>The difficulty currently demanded of a registration.</summary>
    public async Task<int> CurrentDifficultyAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var window = (long)RateWindow.TotalMilliseconds;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var bucket = now / window;
        var current = await rates.GetAsync(RateKey(bucket), cancellationToken).ConfigureAwait(false);
        var previous = await rates.GetAsync(RateKey(bucket - 1), cancellationToken).ConfigureAwait(false);
        // current + previous * (window - elapsed) / window > threshold, in integers.
        var loaded = (current * window) + (previous * (window - (now % window))) > (long)o.RegistrationsPerMinuteThreshold * window;
        return Math.Min(ProofOfWork.MaxDifficulty, o.PowDifficulty + (loaded ? o.PowDifficultyIncreaseUnderLoad : 0));
    }

    /// <summary>Creates a challenge at the current difficulty, or at <paramref name="atLeast"/> when that is higher.</summary>
    public async Task<PowChallengeResponse> IssueAsync(CancellationToken cancellationToken, int atLeast = 0)
    {
        var current = await CurrentDifficultyAsync(cancellationToken).ConfigureAwait(false);
        var difficulty = Math.Min(ProofOfWork.MaxDifficulty, Math.Max(current, atLeast));
        var expires = time.GetUtcNow().Add(options.Value.PowChallengeLifetime);
        var challenge = new byte[ChallengeLength];
        RandomNumberGenerator.Fill(challenge.AsSpan(0, NonceLength));
        challenge[NonceLength] = (byte)difficulty;
        BinaryPrimitives.WriteInt64BigEndian(challenge.AsSpan(NonceLength + 1), expires.ToUnixTimeSeconds());
        HMACSHA256.HashData(macKey, challenge.AsSpan(0, SignedLength), challenge.AsSpan(SignedLength));
        return new PowChallengeResponse(Convert.ToBase64String(challenge), difficulty, DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>
    /// Checks a solution: authentic, unexpired, solved at the difficulty it was issued with (never below
    /// the base difficulty nor below <paramref name="minDifficulty"/>), and unspent — then spends it.
    /// Throws a 400/403 problem otherwise, and 428 when no solution came.
    /// </summary>
    public async Task RequireValidAsync(PowSolution? solution, CancellationToken cancellationToken, int minDifficulty = 0)
    {
        if (solution is null)
        {
            throw new ProblemException(StatusCodes.Status428PreconditionRequired, "pow-required", "Proof of work required");
        }
        var challenge = RequestDecoding.Base64(solution.Challenge, ChallengeLength, ChallengeLength, "pow.challenge");
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(macKey, challenge.AsSpan(0, SignedLength), mac);
        var expires = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(challenge.AsSpan(NonceLength + 1)));
        int difficulty = challenge[NonceLength];
        if (!CryptographicOperations.FixedTimeEquals(mac, challenge.AsSpan(SignedLength))
            || expires <= time.GetUtcNow()
            || difficulty < options.Value.PowDifficulty
            || difficulty < minDifficulty
            || solution.Counter < 0
            || !ProofOfWork.Verify(challenge, difficulty, (ulong)solution.Counter))
        {
            throw new ProblemException(StatusCodes.Status403Forbidden, "pow-invalid", "Proof of work invalid or expired");
        }
        if (!await store.TrySpendChallengeAsync(SHA256.HashData(challenge), expires, cancellationToken).ConfigureAwait(false))
        {
            throw new ProblemException(StatusCodes.Status403Forbidden, "pow-invalid", "Proof of work invalid or expired");
        }
    }

    /// <summary>Counts a registration towards the load that raises the difficulty, on every node.</summary>
    public async Task RecordRegistrationAsync(CancellationToken cancellationToken)
    {
        var window = (long)RateWindow.TotalMilliseconds;
        var bucket = time.GetUtcNow().ToUnixTimeMilliseconds() / window;
        // Kept for two windows: this minute's counter is the next minute's "previous".
        await rates.AddAsync(RateKey(bucket), 1, 2 * RateWindow, cancellationToken).ConfigureAwait(false);
    }

    private static string RateKey(long bucket) => RateKeyPrefix + bucket.ToString(CultureInfo.InvariantCulture);
}
