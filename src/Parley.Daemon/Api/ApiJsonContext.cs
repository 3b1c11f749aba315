using System.Text.Json.Serialization;

namespace Parley.Daemon.Api;

/// <summary>
/// Source-generated JSON for every parameter and result type: camelCase names, absent fields left
/// out, unknown parameter names refused (a typo is an error, not a silent default).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ProfileParams))]
[JsonSerializable(typeof(UserParams))]
[JsonSerializable(typeof(AccountParams))]
[JsonSerializable(typeof(AccountDeleteParams))]
[JsonSerializable(typeof(AccountPasswordParams))]
[JsonSerializable(typeof(ContactRequestParams))]
[JsonSerializable(typeof(SendParams))]
[JsonSerializable(typeof(TypingParams))]
[JsonSerializable(typeof(ReceiveParams))]
[JsonSerializable(typeof(HistoryParams))]
[JsonSerializable(typeof(VerifyParams))]
[JsonSerializable(typeof(FileSendParams))]
[JsonSerializable(typeof(FileGetParams))]
[JsonSerializable(typeof(FileCancelParams))]
[JsonSerializable(typeof(StagedUpload))]
[JsonSerializable(typeof(StagingProblem))]
[JsonSerializable(typeof(SubscribeParams))]
[JsonSerializable(typeof(AuthParams))]
[JsonSerializable(typeof(AccountResult))]
[JsonSerializable(typeof(ContactView))]
[JsonSerializable(typeof(ConversationsResult))]
[JsonSerializable(typeof(SettingsParams))]
[JsonSerializable(typeof(ProbeParams))]
[JsonSerializable(typeof(ProbeResult))]
[JsonSerializable(typeof(SettingsResult))]
[JsonSerializable(typeof(ContactListResult))]
[JsonSerializable(typeof(ContactActionResult))]
[JsonSerializable(typeof(SentResult))]
[JsonSerializable(typeof(HistoryResult))]
[JsonSerializable(typeof(ReceiveResult))]
[JsonSerializable(typeof(VerifyResult))]
[JsonSerializable(typeof(TrustResult))]
[JsonSerializable(typeof(DisconnectResult))]
[JsonSerializable(typeof(StatusResult))]
[JsonSerializable(typeof(OnlineResult))]
[JsonSerializable(typeof(FileGetResult))]
[JsonSerializable(typeof(OkResult))]
[JsonSerializable(typeof(DaemonInfoResult))]
[JsonSerializable(typeof(EventView))]
[JsonSerializable(typeof(CallStartParams))]
[JsonSerializable(typeof(CallParams))]
[JsonSerializable(typeof(CallSignalParams))]
[JsonSerializable(typeof(CallResult))]
[JsonSerializable(typeof(CallSignalResult))]
[JsonSerializable(typeof(TurnResult))]
[JsonSerializable(typeof(Rpc.RpcError))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
