using Parley.Client.Storage;

namespace Parley.Client;

/// <summary>Tunables of the client SDK; the defaults suit interactive use.</summary>
public sealed class ClientOptions
{
    /// <summary>The defaults.</summary>
    public static ClientOptions Default { get; } = new();

    /// <summary>Timeout for each HTTP request, connect and WebSocket round trip.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Argon2id cost for wrapping the store key of new profiles.</summary>
    public KdfCost StoreKdf { get; init; } = KdfCost.Default;

    /// <summary>Where unlocked store keys live between commands (default: the per-user runtime directory).</summary>
    public UnlockedKeyCache KeyCache { get; init; } = UnlockedKeyCache.ForCurrentUser();

    /// <summary>How many one-time prekeys of each kind to upload at registration and to top up to.</summary>
    public int OneTimePreKeyBatch { get; init; } = 50;

    /// <summary>Replenish one-time prekeys when the server holds fewer than this many.</summary>
    public int OneTimePreKeyLowWater { get; init; } = 10;

    /// <summary>The clock (timestamps, reconnect backoff); a fake one in tests.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Ceiling of the first reconnect wait of a persistent relay link.</summary>
    public TimeSpan ReconnectFirstDelay { get; init; } = Relay.ReconnectBackoff.DefaultFirst;

    /// <summary>Longest reconnect wait of a persistent relay link.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = Relay.ReconnectBackoff.DefaultMax;

    /// <summary>The debug view (<c>--debug</c>): every frame and request, redacted; null (the default) prints nothing.</summary>
    public Diagnostics.ProtocolTrace? Trace { get; init; }
}

/// <summary>
/// How to decide whether to trust a server's certificate on first contact: a fingerprint given up
/// front (<c>--trust-server</c>), or a question to the user; with neither, the server is refused.
/// </summary>
/// <param name="Expected">The fingerprint the certificate must have, if known.</param>
/// <param name="ConfirmFirstUse">Asks the user whether to trust a fingerprint seen for the first time.</param>
public sealed record ServerTrustPolicy(Transport.ServerFingerprint? Expected, Func<Transport.ServerFingerprint, bool>? ConfirmFirstUse);
