using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Wire.Rest;

/// <summary>
/// Source-generated JSON for every request and response body of the REST API, with the conventions of
/// <see cref="RestJson"/> (ASP.NET Core's web defaults). Clients serialize through it so that they
/// need no reflection at run time: a natively compiled <c>parley</c> has none to offer.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PasswordChangeRequest))]
[JsonSerializable(typeof(AccountDeleteRequest))]
[JsonSerializable(typeof(AccountDeleteResponse))]
[JsonSerializable(typeof(AccountInfoResponse))]
[JsonSerializable(typeof(Argon2ParametersDto))]
[JsonSerializable(typeof(PowChallengeResponse))]
[JsonSerializable(typeof(PowChallengeRequest))]
[JsonSerializable(typeof(PowSolution))]
[JsonSerializable(typeof(RegisterRequest))]
[JsonSerializable(typeof(RegisterResponse))]
[JsonSerializable(typeof(LoginStartRequest))]
[JsonSerializable(typeof(LoginStartResponse))]
[JsonSerializable(typeof(LoginFinishRequest))]
[JsonSerializable(typeof(LoginFinishResponse))]
[JsonSerializable(typeof(TurnCredentials))]
[JsonSerializable(typeof(ContactRequestBody))]
[JsonSerializable(typeof(ContactDto))]
[JsonSerializable(typeof(ContactListResponse))]
[JsonSerializable(typeof(IdentityKeyUpload))]
[JsonSerializable(typeof(SignedPreKeyUpload))]
[JsonSerializable(typeof(OneTimePreKeysUpload))]
[JsonSerializable(typeof(KemPreKeysUpload))]
[JsonSerializable(typeof(KemLastResortUpload))]
[JsonSerializable(typeof(CipherSuitesUpload))]
[JsonSerializable(typeof(PreKeysUploadResponse))]
[JsonSerializable(typeof(PreKeyCountResponse))]
[JsonSerializable(typeof(PreKeyBundleResponse))]
public sealed partial class RestJsonContext : JsonSerializerContext;
