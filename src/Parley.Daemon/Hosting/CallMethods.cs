using Parley.Client.Calls;
using Parley.Daemon.Api;
using Parley.Daemon.Rpc;
using Json = Parley.Daemon.Api.ApiJsonContext;

namespace Parley.Daemon.Hosting;

/// <summary>
/// <c>calls.*</c>: the browser does the media, the profile's <see cref="CallService"/> runs the
/// state machine and the encrypted signalling. The browser starts and answers calls with its SDP,
/// reports candidates, the connected transport's remote fingerprint and failures; what it must apply
/// comes back as <c>call</c> events.
/// </summary>
internal static class CallMethods
{
    public static void Register(RpcDispatcher d, ProfileRegistry registry)
    {
        var j = Json.Default;
        d.Add(ApiMethods.CallsTurn, j.ProfileParams, j.TurnResult, async (p, _, ct) =>
        {
            var credentials = await registry.Resolve(p.Profile).Client.Calls.GetTurnCredentialsAsync(ct).ConfigureAwait(false);
            return new TurnResult { Uris = credentials.Uris, Username = credentials.Username, Credential = credentials.Password, ExpiresAtMs = credentials.ExpiresAtMs };
        });
        d.Add(ApiMethods.CallsStart, j.CallStartParams, j.CallResult, async (p, _, ct) =>
        {
            var media = p.Media switch
            {
                "audio" => CallMedia.Audio,
                "video" => CallMedia.Video,
                _ => throw ApiException.InvalidParams("media must be \"audio\" or \"video\"."),
            };
            var calls = registry.Resolve(p.Profile).Client.Calls;
            var id = await calls.StartAsync(p.To, media, p.Sdp, ct).ConfigureAwait(false);
            return new CallResult { User = p.To, Call = calls.Current is { } c && c.CallId == id ? CallView.From(c) : new CallView { Id = id.ToString() } };
        });
        d.Add(ApiMethods.CallsCurrent, j.ProfileParams, j.CallResult, async (p, _, ct) =>
        {
            var calls = registry.Resolve(p.Profile).Client.Calls;
            if (calls.Current is not { } current)
            {
                return new CallResult();
            }

            var verification = await calls.GetVerificationAsync(ct).ConfigureAwait(false) is { } v && v.CallId == current.CallId ? v : null;
            var view = CallView.From(current, verified: verification?.Verified, shortCode: verification?.ShortCode);
            if (calls.RingingOffer is { } offer && offer.CallId == current.CallId)
            {
                view = new CallView
                {
                    Id = view.Id, State = view.State, Direction = view.Direction, Media = view.Media, Verified = view.Verified,
                    SdpType = "offer", Sdp = offer.Sdp, Fingerprint = offer.Fingerprint.ToString(),
                };
            }

            return new CallResult { User = current.Peer, Call = view };
        });
        d.Add(ApiMethods.CallsAccept, j.CallParams, j.OkResult, (p, _, _) =>
        {
            registry.Resolve(p.Profile).Client.Calls.Accept(RequireId(p.Call), p.Sdp ?? throw ApiException.InvalidParams("sdp (the SDP answer) is required."));
            return Task.FromResult(new OkResult());
        });
        d.Add(ApiMethods.CallsDecline, j.CallParams, j.OkResult, (p, _, _) =>
        {
            registry.Resolve(p.Profile).Client.Calls.Decline(OptionalId(p.Call));
            return Task.FromResult(new OkResult());
        });
        d.Add(ApiMethods.CallsHangup, j.CallParams, j.OkResult, (p, _, _) =>
        {
            registry.Resolve(p.Profile).Client.Calls.HangUp(OptionalId(p.Call));
            return Task.FromResult(new OkResult());
        });
        d.Add(ApiMethods.CallsSignal, j.CallSignalParams, j.CallSignalResult, (p, _, _) =>
            Task.FromResult(new CallSignalResult { Ok = Signal(registry.Resolve(p.Profile).Client.Calls, p) }));
    }

    private static bool Signal(CallService calls, CallSignalParams p)
    {
        var id = RequireId(p.Call);
        switch (p.Kind)
        {
            case "candidates":
                if (p.Candidates is not { Count: > 0 and <= CallLimits.MaxCandidatesPerSignal } candidates)
                {
                    throw ApiException.InvalidParams($"candidates must hold 1 to {CallLimits.MaxCandidatesPerSignal} candidates.");
                }

                calls.SendCandidates(id, candidates.Select(c => c.ToCandidate()).ToList());
                return true;
            case "connected":
                return calls.MediaConnected(id, p.Fingerprint ?? throw ApiException.InvalidParams("fingerprint (the remote certificate's, from getStats) is required."));
            case "lost":
                calls.MediaLost(id);
                return true;
            case "failed":
                calls.MediaFailed(id);
                return true;
            case "offer":
                calls.SendRestartOffer(id, p.Sdp ?? throw ApiException.InvalidParams("sdp is required."));
                return true;
            case "answer":
                calls.SendAnswer(id, p.Sdp ?? throw ApiException.InvalidParams("sdp is required."));
                return true;
            default:
                throw ApiException.InvalidParams("kind must be candidates, connected, lost, failed, offer or answer.");
        }
    }

    private static CallId RequireId(string? text) =>
        CallId.TryParse(text, out var id) ? id : throw ApiException.InvalidParams("call must be a call id (32 lowercase hex digits).");

    private static CallId? OptionalId(string? text) => text is null ? null : RequireId(text);
}
