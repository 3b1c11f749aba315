namespace Parley.Client.Api;

// Mirrors of the key-directory DTOs (Parley.Wire.Rest KeyDtos, JSON camelCase): kept client-side
// until the server's DTOs are merged, then replaced by them. Values are base64 of the
// Parley.Crypto serialized forms.

/// <summary>Body of <c>PUT /v1/keys/identity</c>.</summary>
internal sealed record IdentityKeyUpload(string IdentityKey, bool Replace = false);

/// <summary>Body of <c>PUT /v1/keys/signed-prekey</c>.</summary>
internal sealed record SignedPreKeyUpload(string SignedPreKey);

/// <summary>Body of <c>POST /v1/keys/one-time-prekeys</c> and <c>/kem-prekeys</c>.</summary>
internal sealed record PreKeysUpload(IReadOnlyList<string> PreKeys);

/// <summary>Body of <c>PUT /v1/keys/kem-last-resort</c>.</summary>
internal sealed record KemLastResortUpload(string KemPreKey);

/// <summary>Body of <c>PUT /v1/keys/cipher-suites</c>.</summary>
internal sealed record CipherSuitesUpload(string Suites);

/// <summary>Answer of the batch uploads.</summary>
internal sealed record PreKeysUploadResponse(int Stored);

/// <summary>Answer of <c>GET /v1/keys/count</c>.</summary>
internal sealed record PreKeyCountResponse(
    int OneTimePreKeys, int KemPreKeys, bool HasIdentityKey, bool HasSignedPreKey, bool HasLastResortKemPreKey, bool HasCipherSuites);

/// <summary>Answer of <c>GET /v1/keys/{username}</c>: a serialized <c>PreKeyBundle</c>.</summary>
internal sealed record PreKeyBundleResponse(string Bundle);
