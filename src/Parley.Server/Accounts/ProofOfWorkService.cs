using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Parley.Crypto.Auth;
using Parley.Server.Hosting;
using Parley.Wire.Rest;

namespace Parley.Server.Accounts;

/// <summary>
/// Issues and checks proof-of-work challenges. A challenge is self-describing and authenticated, so
/// issuing one stores nothing: <c>nonce(16) || difficulty(1) || expiresAt unix seconds(8, big-endian)
/// || HMAC-SHA256(serverKey, first 25 bytes)</c> (57 bytes). Only a solved challenge is recorded, to
/// refuse its reuse. The difficulty rises while registrations on this node exceed a threshold.
/// </summary>
public sealed class ProofOfWorkService(
    IOptions<AccountOptions> options, ServerSecret secret, LoginChallengeStore store, TimeProvider time)
{
    /// <summary>Length of an encoded challenge.</summary>
    public const int ChallengeLength = 57;

    private const int NonceLength = 16;
    private const int SignedLength = NonceLength + 1 + 8;
    private readonly byte[] macKey = secret.Derive("pow-challenge-mac", []);
    private readonly Lock rateLock = new();
    private readonly Queue<DateTimeOffset> recentRegistrations = new();

    /// <summary>The difficulty currently demanded.</summary>
    public int CurrentDifficulty
    {
        get
        {
            var o = options.Value;
            var now = time.GetUtcNow();
            lock (rateLock)
            {
                while (recentRegistrations.Count > 0 && recentRegistrations.Peek() < now.AddMinutes(-1))
                {
                    recentRegistrations.Dequeue();
                }
                var loaded = recentRegistrations.Count > o.RegistrationsPerMinuteThreshold;
                return Math.Min(ProofOfWork.MaxDifficulty, o.PowDifficulty + (loaded ? o.PowDifficultyIncreaseUnderLoad : 0));
            }
        }
    }

    /// <summary>Creates a challenge at the current difficulty, or at <paramref name="atLeast"/> when that is higher.</summary>
    public PowChallengeResponse Issue(int atLeast = 0)
    {
        var difficulty = Math.Min(ProofOfWork.MaxDifficulty, Math.Max(CurrentDifficulty, atLeast));
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

    /// <summary>Counts a registration towards the load that raises the difficulty.</summary>
    public void RecordRegistration()
    {
        lock (rateLock)
        {
            recentRegistrations.Enqueue(time.GetUtcNow());
        }
    }
}
