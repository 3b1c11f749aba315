using Parley.Client;
using Parley.Daemon.Api;
using Parley.Daemon.Profiles;
using Parley.Daemon.Rpc;
using Json = Parley.Daemon.Api.ApiJsonContext;

namespace Parley.Daemon.Hosting;

/// <summary>
/// The API's methods as the daemon implements them: each resolves its profile's live link and runs
/// the shared operations on the profile's client (whose services serialise their own store work, so
/// a send waiting for the server never holds up incoming frames or other calls).
/// </summary>
internal static class DaemonMethods
{
    /// <summary>How long <c>daemon.info</c> waits for a daemon that is still starting.</summary>
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(60);

    public static void Register(RpcDispatcher d, ProfileRegistry registry, StagingArea staging, DaemonSecret secret, Task<Func<DaemonInfoResult>> info)
    {
        var j = Json.Default;
        d.Add(ApiMethods.Register, j.AccountParams, j.AccountResult, (p, _, ct) => OpenAsync(registry, p, register: true, ct));
        d.Add(ApiMethods.Login, j.AccountParams, j.AccountResult, (p, _, ct) => OpenAsync(registry, p, register: false, ct));
        d.Add(ApiMethods.Logout, j.ProfileParams, j.AccountResult, (p, _, ct) => registry.ChangeAsync(async () =>
        {
            var link = await registry.RemoveAsync(registry.Resolve(p.Profile)).ConfigureAwait(false);
            await using (link.ConfigureAwait(false))
            {
                await link.Client.Accounts.LogoutAsync(ct).ConfigureAwait(false);
                return new AccountResult { User = link.Profile, LoggedIn = false };
            }
        }, ct));
        d.Add(ApiMethods.AccountDelete, j.AccountDeleteParams, j.AccountResult, (p, _, ct) => registry.ChangeAsync(async () =>
        {
            var link = await registry.RemoveAsync(registry.Resolve(p.Profile)).ConfigureAwait(false);
            try
            {
                await link.Client.Accounts.DeleteAccountAsync(p.Password, ct).ConfigureAwait(false);
            }
            catch
            {
                await link.DisposeAsync().ConfigureAwait(false);
                registry.Add(ParleyClient.Resume(registry.Home, link.Profile, registry.Options)); // still there: serve it again
                throw;
            }

            await link.DisposeAsync().ConfigureAwait(false);
            return new AccountResult { User = link.Profile, Deleted = true };
        }, ct));
        d.Add(ApiMethods.AccountPassword, j.AccountPasswordParams, j.AccountResult, async (p, _, ct) =>
        {
            var link = registry.Resolve(p.Profile);
            await AccountOperations.ChangePasswordAsync(link.Client, p, ct).ConfigureAwait(false);
            return new AccountResult { User = link.Profile, PasswordChanged = true };
        });
        d.Add(ApiMethods.WhoAmI, j.ProfileParams, j.AccountResult, (p, _, ct) => Ops(registry, p, (o, _) => Task.FromResult(o.WhoAmI()), ct));
        d.Add(ApiMethods.ContactsList, j.ProfileParams, j.ContactListResult, (p, _, ct) => Ops(registry, p, (o, c) => o.ListContactsAsync(c), ct));
        d.Add(ApiMethods.Conversations, j.ProfileParams, j.ConversationsResult, (p, _, ct) => new ConversationList(registry.Resolve(p.Profile).Client).ListAsync(ct));
        d.Add(ApiMethods.ServerProbe, j.ProbeParams, j.ProbeResult, (p, _, ct) => ServerProbe.ProbeAsync(registry.Home, registry.Options, p, ct));
        d.Add(ApiMethods.Settings, j.SettingsParams, j.SettingsResult, (p, _, _) => Task.FromResult(ProfilePreferences.Apply(registry.Home, registry.Resolve(p.Profile).Profile, p)));
        d.Add(ApiMethods.ContactsRequest, j.ContactRequestParams, j.ContactActionResult, (p, _, ct) => Ops(registry, p, (o, c) => o.RequestContactAsync(p, c), ct));
        foreach (var action in new[] { ApiMethods.ContactsAccept, ApiMethods.ContactsDecline, ApiMethods.ContactsRemove, ApiMethods.Block, ApiMethods.Unblock })
        {
            d.Add(action, j.UserParams, j.ContactActionResult, (p, _, ct) => Ops(registry, p, (o, c) => o.ContactActionAsync(action, p, c), ct));
        }

        d.Add(ApiMethods.History, j.HistoryParams, j.HistoryResult, (p, _, ct) => Ops(registry, p, (o, c) => o.HistoryAsync(p, c), ct));
        d.Add(ApiMethods.Verify, j.VerifyParams, j.VerifyResult, (p, _, ct) => Ops(registry, p, (o, c) => o.VerifyAsync(p, c), ct));
        d.Add(ApiMethods.Trust, j.UserParams, j.TrustResult, (p, _, ct) => Ops(registry, p, (o, c) => o.TrustAsync(p, c), ct));
        d.Add(ApiMethods.Disconnect, j.UserParams, j.DisconnectResult, (p, _, ct) => Ops(registry, p, (o, c) => o.DisconnectAsync(p, c), ct));
        d.Add(ApiMethods.Status, j.ProfileParams, j.StatusResult, (p, _, ct) => Ops(registry, p, (o, c) => o.StatusAsync(c), ct));
        d.Add(ApiMethods.Online, j.ProfileParams, j.OnlineResult, (p, _, ct) => Ops(registry, p, (o, c) => o.OnlineAsync(c), ct));
        d.Add(ApiMethods.Send, j.SendParams, j.SentResult, (p, _, ct) => Messaging(registry, p).SendAsync(p, ct));
        d.Add(ApiMethods.Typing, j.TypingParams, j.OkResult, (p, _, ct) => Messaging(registry, p).TypingAsync(p, ct));
        d.Add(ApiMethods.Receive, j.ReceiveParams, j.ReceiveResult, (p, call, ct) =>
        {
            RequireStream(call);
            return Messaging(registry, p).ReceiveAsync(p, e => call.Post(RpcDispatcher.Notification(ApiMethods.EventNotification, e, j.EventView)), ct);
        });
        FileMethods.Register(d, registry, staging);
        CallMethods.Register(d, registry);
        d.Add(ApiMethods.Subscribe, j.SubscribeParams, j.OkResult, (p, call, _) =>
        {
            RequireStream(call);
            call.Subscription?.Dispose();
            var profile = p.Profile is null ? null : Client.Profiles.UserName.Parse(p.Profile).Value;
            void Notify(EventView e) => call.Notify(RpcDispatcher.Notification(ApiMethods.EventNotification, e, j.EventView));
            call.Subscription = registry.Subscribe(profile, Notify);
            registry.SendStates(profile, Notify); // a subscriber starts from the current state, not from a status answer
            return Task.FromResult(new OkResult());
        });
        d.Add(ApiMethods.Unsubscribe, j.ProfileParams, j.OkResult, (_, call, _) =>
        {
            call.Subscription?.Dispose();
            call.Subscription = null;
            return Task.FromResult(new OkResult());
        });
        d.Add(ApiMethods.DaemonInfo, j.ProfileParams, j.DaemonInfoResult, async (_, call, ct) =>
        {
            // The Unix socket answers while the HTTP endpoint is still starting: wait for the port.
            var result = (await info.WaitAsync(StartWait, ct).ConfigureAwait(false))();
            return call.IsLocalSocket ? result : new DaemonInfoResult { Pid = result.Pid, Port = result.Port, Profiles = result.Profiles };
        });
        d.Add(ApiMethods.Auth, j.AuthParams, j.OkResult, (p, call, _) =>
        {
            if (!secret.Matches(p.Token))
            {
                call.CloseAfterReply = true;
                throw new ApiException(ApiErrorCodes.Unauthorized, "The token is wrong.");
            }

            call.IsAuthenticated = true;
            return Task.FromResult(new OkResult());
        });
    }

    private static Task<AccountResult> OpenAsync(ProfileRegistry registry, AccountParams p, bool register, CancellationToken ct)
    {
        registry.CheckServed(p.User);
        return registry.ChangeAsync(async () =>
        {
            var client = await AccountOperations.OpenAsync(registry.Home, registry.Options, p, register, ct).ConfigureAwait(false);
            var result = AccountOperations.LoggedIn(client);
            registry.Add(client);
            return result;
        }, ct);
    }

    internal static Task<T> Ops<T>(ProfileRegistry registry, Api.ProfileParams p, Func<ProfileOperations, CancellationToken, Task<T>> action, CancellationToken ct)
    {
        var link = registry.Resolve(p.Profile);
        return action(new ProfileOperations(link.Client), ct);
    }

    private static MessagingOperations Messaging(ProfileRegistry registry, Api.ProfileParams p)
    {
        var link = registry.Resolve(p.Profile);
        return new MessagingOperations(link.Client, link);
    }

    private static void RequireStream(RpcCall call)
    {
        if (!call.CanStream)
        {
            throw ApiException.InvalidParams("This method streams events: call it over the WebSocket or the Unix socket, not a plain POST.");
        }
    }
}
