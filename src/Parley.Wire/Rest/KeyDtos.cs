namespace Parley.Wire.Rest;

/// <summary>
/// Body of <c>PUT /v1/keys/identity</c>: the account's identity key (PROTOCOL.md 2.2, base64).
/// Uploading the same key again is a no-op. A different key is refused (409 <c>identity-exists</c>)
/// unless <paramref name="Replace"/> is true: that is re-registration — the new identity replaces the
/// old one and every prekey, KEM prekey and suite list signed by the old one is deleted.
/// </summary>
/// <param name="IdentityKey">Base64 serialized <c>IdentityKey</c>.</param>
/// <param name="Replace">Explicitly replace an existing, different identity.</param>
public sealed record IdentityKeyUpload(string IdentityKey, bool Replace = false);

/// <summary>Body of <c>PUT /v1/keys/signed-prekey</c>: replaces the signed X25519 prekey.</summary>
/// <param name="SignedPreKey">Base64 serialized <c>SignedPreKey</c>, signed by the stored identity.</param>
public sealed record SignedPreKeyUpload(string SignedPreKey);

/// <summary>Body of <c>POST /v1/keys/one-time-prekeys</c>: a batch of one-time X25519 prekeys.</summary>
/// <param name="PreKeys">Base64 serialized <c>OneTimePreKey</c>s (at most 100 per request).</param>
public sealed record OneTimePreKeysUpload(IReadOnlyList<string> PreKeys);

/// <summary>Body of <c>POST /v1/keys/kem-prekeys</c>: a batch of signed one-time ML-KEM-1024 prekeys.</summary>
/// <param name="PreKeys">Base64 serialized <c>KemPreKey</c>s, not last-resort (at most 20 per request).</param>
public sealed record KemPreKeysUpload(IReadOnlyList<string> PreKeys);

/// <summary>Body of <c>PUT /v1/keys/kem-last-resort</c>: replaces the last-resort ML-KEM-1024 prekey.</summary>
/// <param name="KemPreKey">Base64 serialized <c>KemPreKey</c> with the last-resort flag.</param>
public sealed record KemLastResortUpload(string KemPreKey);

/// <summary>Body of <c>PUT /v1/keys/cipher-suites</c>: replaces the signed cipher-suite list.</summary>
/// <param name="Suites">Base64 serialized <c>SignedSuiteList</c>.</param>
public sealed record CipherSuitesUpload(string Suites);

/// <summary>Response of a batch upload.</summary>
/// <param name="Stored">Keys newly stored (ids already present are skipped).</param>
public sealed record PreKeysUploadResponse(int Stored);

/// <summary>Response of <c>GET /v1/keys/count</c>: what the caller has left on the server.</summary>
/// <param name="OneTimePreKeys">Unused one-time X25519 prekeys.</param>
/// <param name="KemPreKeys">Unused one-time ML-KEM prekeys.</param>
/// <param name="HasIdentityKey">An identity key is stored.</param>
/// <param name="HasSignedPreKey">A signed prekey is stored.</param>
/// <param name="HasLastResortKemPreKey">A last-resort ML-KEM prekey is stored.</param>
/// <param name="HasCipherSuites">A signed suite list is stored.</param>
/// <param name="IdentityKey">
/// Base64 serialized identity key stored for the caller (null when none): a client whose own identity
/// differs learns that the account's identity was replaced from another installation, before it
/// connects the relay (where it would take messages it cannot decrypt) or uploads prekeys.
/// </param>
public sealed record PreKeyCountResponse(
    int OneTimePreKeys, int KemPreKeys, bool HasIdentityKey, bool HasSignedPreKey, bool HasLastResortKemPreKey, bool HasCipherSuites,
    string? IdentityKey = null);

/// <summary>Response of <c>GET /v1/keys/{username}</c>.</summary>
/// <param name="Bundle">Base64 serialized <c>PreKeyBundle</c> (PROTOCOL.md 3.3); the client must verify it.</param>
public sealed record PreKeyBundleResponse(string Bundle);
