using Microsoft.Extensions.Options;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Server.Accounts;
using Parley.Server.Contacts;
using Parley.Server.Hosting;
using Parley.Server.Metrics;
using Parley.Wire.Rest;

namespace Parley.Server.Keys;

/// <summary>
/// The key directory. Every upload is parsed and verified with Parley.Crypto's own parsers against the
/// account's stored identity (PROTOCOL.md 3.3, "Server upload checks") — malformed, low-order or
/// wrongly signed keys are refused — and stored as the exact bytes sent. A fetch assembles a
/// <see cref="PreKeyBundle"/> consuming at most one one-time key of each kind, and only for a
/// requester in a pending or accepted contact relation with the target (not blocked by it); anyone
/// else — and any unknown username — gets the same 404 after the same queries.
/// </summary>
public sealed partial class KeyService(
    IKeyStore store,
    IAccountStore accounts,
    IContactStore contacts,
    IEnumerable<IPreKeyStockListener> stockListeners,
    FetchRateLimiter limiter,
    ParleyMetrics metrics,
    IOptions<KeyOptions> options,
    TimeProvider time,
    ILogger<KeyService> logger)
{
    /// <summary>Stores the caller's identity key.</summary>
    public async Task UploadIdentityAsync(AccountId caller, IdentityKeyUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var bytes = RequestDecoding.Base64(upload.IdentityKey, 1, IdentityKey.SerializedSize, "identityKey");
        if (!IdentityKey.TryParse(bytes, out var identity))
        {
            throw InvalidKey("identityKey");
        }
        var outcome = await store.SetIdentityAsync(caller, bytes, identity.SigningKey.ToArray(), identity.AgreementKey.ToArray(),
            upload.Replace, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case IdentityOutcome.ExistsDifferent:
                throw ProblemException.Conflict("identity-exists", "A different identity key is stored; re-register with replace=true");
            case IdentityOutcome.InUseByOtherAccount:
                throw ProblemException.Conflict("identity-in-use", "This identity key belongs to another account");
            case IdentityOutcome.Stored:
                LogIdentityStored(logger);
                break;
        }
    }

    /// <summary>Replaces the caller's signed prekey.</summary>
    public async Task UploadSignedPreKeyAsync(AccountId caller, SignedPreKeyUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var bytes = RequestDecoding.Base64(upload.SignedPreKey, 1, SignedPreKey.SerializedSize, "signedPreKey");
        var identity = await RequireIdentityAsync(caller, cancellationToken).ConfigureAwait(false);
        if (!SignedPreKey.TryParseVerified(bytes, identity, out var key))
        {
            throw InvalidKey("signedPreKey");
        }
        await store.SetSingleAsync(caller, SingleKeyKind.SignedPreKey, key.Id.Value, bytes, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the caller's last-resort ML-KEM prekey.</summary>
    public async Task UploadKemLastResortAsync(AccountId caller, KemLastResortUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var bytes = RequestDecoding.Base64(upload.KemPreKey, 1, KemPreKey.SerializedSize, "kemPreKey");
        var identity = await RequireIdentityAsync(caller, cancellationToken).ConfigureAwait(false);
        if (!KemPreKey.TryParseVerified(bytes, identity, out var key) || !key.IsLastResort)
        {
            throw InvalidKey("kemPreKey");
        }
        await store.SetSingleAsync(caller, SingleKeyKind.KemLastResort, key.Id.Value, bytes, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the caller's signed cipher-suite list.</summary>
    public async Task UploadSuitesAsync(AccountId caller, CipherSuitesUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var bytes = RequestDecoding.Base64(upload.Suites, 1, KeyFormat.HeaderSize + 1 + SignedSuiteList.MaxSuites + 64, "suites");
        var identity = await RequireIdentityAsync(caller, cancellationToken).ConfigureAwait(false);
        if (!SignedSuiteList.TryParseVerified(bytes, identity, out _))
        {
            throw InvalidKey("suites");
        }
        await store.SetSuitesAsync(caller, bytes, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds one-time X25519 prekeys.</summary>
    public async Task<PreKeysUploadResponse> UploadOneTimeAsync(AccountId caller, OneTimePreKeysUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var o = options.Value;
        var list = CheckBatch(upload.PreKeys, o.MaxOneTimePreKeysPerUpload);
        await RequireIdentityAsync(caller, cancellationToken).ConfigureAwait(false);
        var keys = new List<(uint, byte[])>(list.Count);
        foreach (var encoded in list)
        {
            var bytes = RequestDecoding.Base64(encoded, 1, OneTimePreKey.SerializedSize, "preKeys[]");
            keys.Add(OneTimePreKey.TryParse(bytes, out var key) ? (key.Id.Value, bytes) : throw InvalidKey("preKeys[]"));
        }
        return await AddAsync(caller, OneTimeKind.X25519, keys, o.MaxStoredOneTimePreKeys, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds signed one-time ML-KEM prekeys.</summary>
    public async Task<PreKeysUploadResponse> UploadKemAsync(AccountId caller, KemPreKeysUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var o = options.Value;
        var list = CheckBatch(upload.PreKeys, o.MaxKemPreKeysPerUpload);
        var identity = await RequireIdentityAsync(caller, cancellationToken).ConfigureAwait(false);
        var keys = new List<(uint, byte[])>(list.Count);
        foreach (var encoded in list)
        {
            var bytes = RequestDecoding.Base64(encoded, 1, KemPreKey.SerializedSize, "preKeys[]");
            keys.Add(KemPreKey.TryParseVerified(bytes, identity, out var key) && !key.IsLastResort
                ? (key.Id.Value, bytes)
                : throw InvalidKey("preKeys[]"));
        }
        return await AddAsync(caller, OneTimeKind.MlKem, keys, o.MaxStoredKemPreKeys, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the caller has stored.</summary>
    public async Task<PreKeyCountResponse> CountAsync(AccountId caller, CancellationToken cancellationToken)
    {
        var c = await store.CountAsync(caller, cancellationToken).ConfigureAwait(false);
        var identity = c.Identity ? await store.GetIdentityAsync(caller, cancellationToken).ConfigureAwait(false) : null;
        return new PreKeyCountResponse(c.OneTime, c.Kem, c.Identity, c.SignedPreKey, c.KemLastResort, c.Suites,
            identity is null ? null : Convert.ToBase64String(identity));
    }

    /// <summary>Assembles a bundle for <paramref name="username"/>, consuming one one-time key of each kind if any are left.</summary>
    public async Task<PreKeyBundleResponse> FetchAsync(AccountId requester, string? username, CancellationToken cancellationToken)
    {
        var name = RequestDecoding.Username(username);
        var found = await accounts.FindIdByUsernameAsync(name, cancellationToken).ConfigureAwait(false);
        var targetId = found?.Value ?? UnknownAccount;
        var mine = await contacts.GetAsync(requester.Value, targetId, cancellationToken).ConfigureAwait(false);
        var theirs = await contacts.GetAsync(targetId, requester.Value, cancellationToken).ConfigureAwait(false);
        var related = mine?.State is ContactState.Outgoing or ContactState.Incoming or ContactState.Accepted && theirs?.State != ContactState.Blocked;
        if (found is not { } target || !related)
        {
            throw NoBundle();
        }
        await limiter.AcquireAsync(requester, target, cancellationToken).ConfigureAwait(false);
        var parts = await store.GetBundlePartsAsync(target, cancellationToken).ConfigureAwait(false)
            ?? throw ProblemException.NotFound("The contact has not published a complete set of keys");
        if (!IdentityKey.TryParse(parts.Identity, out var identity) || !SignedPreKey.TryParse(parts.SignedPreKey, out var signed)
            || !KemPreKey.TryParse(parts.KemLastResort, out var lastResort) || !SignedSuiteList.TryParse(parts.Suites, out var suites))
        {
            throw new InvalidOperationException("Stored keys no longer parse."); // Verified at upload: a bug or corruption.
        }
        var oneTimeBytes = await store.TakeOneTimeAsync(target, OneTimeKind.X25519, cancellationToken).ConfigureAwait(false);
        var kemBytes = await store.TakeOneTimeAsync(target, OneTimeKind.MlKem, cancellationToken).ConfigureAwait(false);
        OneTimePreKey? oneTime = null;
        if (oneTimeBytes is not null && !OneTimePreKey.TryParse(oneTimeBytes, out oneTime))
        {
            throw new InvalidOperationException("Stored one-time key no longer parses.");
        }
        var kem = lastResort;
        if (kemBytes is not null && !KemPreKey.TryParse(kemBytes, out kem))
        {
            throw new InvalidOperationException("Stored KEM key no longer parses.");
        }
        var bundle = new PreKeyBundle(name, identity, signed, oneTime, kem!, suites);
        metrics.PrekeyFetches.WithLabels(oneTime is null ? "false" : "true").Inc();
        var left = await store.CountAsync(target, cancellationToken).ConfigureAwait(false);
        var low = options.Value.LowPreKeyThreshold;
        if (left.OneTime < low || left.Kem < low)
        {
            metrics.PrekeysLow.Inc();
            foreach (var listener in stockListeners)
            {
                listener.OnStockLow(target, left.OneTime, left.Kem, low);
            }
        }
        return new PreKeyBundleResponse(Convert.ToBase64String(bundle.Serialize()));
    }

    private async Task<PreKeysUploadResponse> AddAsync(AccountId caller, OneTimeKind kind, List<(uint, byte[])> keys, int max, CancellationToken cancellationToken)
    {
        if (keys.Select(k => k.Item1).Distinct().Count() != keys.Count)
        {
            throw ProblemException.BadRequest("Duplicate key ids in one upload");
        }
        var added = await store.AddOneTimeAsync(caller, kind, keys, max, cancellationToken).ConfigureAwait(false);
        return added < 0
            ? throw ProblemException.Conflict("prekey-limit", "Too many unused prekeys stored")
            : new PreKeysUploadResponse(added);
    }

    private async Task<IdentityKey> RequireIdentityAsync(AccountId caller, CancellationToken cancellationToken)
    {
        var bytes = await store.GetIdentityAsync(caller, cancellationToken).ConfigureAwait(false)
            ?? throw ProblemException.Conflict("identity-required", "Upload an identity key first");
        return IdentityKey.TryParse(bytes, out var identity) ? identity : throw new InvalidOperationException("Stored identity no longer parses.");
    }

    private static IReadOnlyList<string> CheckBatch(IReadOnlyList<string>? batch, int max) =>
        batch is null || batch.Count == 0 || batch.Count > max
            ? throw ProblemException.BadRequest($"Between 1 and {max} keys per upload")
            : batch;

    /// <summary>Stands in for an unknown username in the relation queries (accounts have positive ids), so both paths do the same work.</summary>
    private const long UnknownAccount = -1;

    private static ProblemException NoBundle() => ProblemException.NotFound("No bundle available");

    private static ProblemException InvalidKey(string field) =>
        new(StatusCodes.Status400BadRequest, "invalid-key", $"Field '{field}' is not a valid, correctly signed key");

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Identity key stored")]
    private static partial void LogIdentityStored(ILogger logger);
}
