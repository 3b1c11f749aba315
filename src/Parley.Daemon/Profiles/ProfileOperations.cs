using Parley.Client;
using Parley.Client.Contacts;
using Parley.Client.Errors;
using Parley.Client.Storage;
using Parley.Client.Transfers;
using Parley.Daemon.Api;

namespace Parley.Daemon.Profiles;

/// <summary>
/// What the API methods do for one logged-in profile, written once: in a command's own process
/// (<paramref name="link"/> null: each call that needs the relay opens a connection, as the CLI
/// always did) or in the daemon over the profile's live link (the caller holds the link's gate).
/// </summary>
internal sealed class ProfileOperations(ParleyClient client, ProfileLink? link)
{
    public ParleyClient Client => client;

    public AccountResult WhoAmI() =>
        new() { User = client.User.Value, Server = client.Server.ToString(), Fingerprint = client.ServerFingerprint.ToString() };

    public async Task<ContactListResult> ListContactsAsync(CancellationToken ct)
    {
        try
        {
            var contacts = await client.RefreshContactsAsync(ct).ConfigureAwait(false);
            return new ContactListResult { Contacts = contacts.Select(View).ToList() };
        }
        catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachable)
        {
            return new ContactListResult { Contacts = client.LocalContacts().Select(View).ToList(), Offline = true };
        }
    }

    public async Task<ContactActionResult> RequestContactAsync(ContactRequestParams p, CancellationToken ct)
    {
        await client.RequestContactAsync(p.User, p.Note, ct).ConfigureAwait(false);
        return new ContactActionResult { User = p.User, Result = "requested" };
    }

    public async Task<ContactActionResult> ContactActionAsync(string method, UserParams p, CancellationToken ct)
    {
        var (action, verb) = method switch
        {
            ApiMethods.ContactsAccept => ((Func<string, CancellationToken, Task>)client.AcceptContactAsync, "accepted"),
            ApiMethods.ContactsDecline => (client.DeclineContactAsync, "declined"),
            ApiMethods.ContactsRemove => (client.RemoveContactAsync, "removed"),
            ApiMethods.Block => (client.BlockAsync, "blocked"),
            ApiMethods.Unblock => (client.UnblockAsync, "unblocked"),
            _ => throw new ArgumentOutOfRangeException(nameof(method)),
        };
        await action(p.User, ct).ConfigureAwait(false);
        return new ContactActionResult { User = p.User, Result = verb };
    }

    public async Task<HistoryResult> HistoryAsync(HistoryParams p, CancellationToken ct)
    {
        CheckLimit(p.Limit);
        var name = Parley.Client.Profiles.UserName.Parse(p.User).Value;
        if (p.Unread)
        {
            var taken = new List<EventView>();
            if (link?.Pump is { } live)
            {
                await client.ShowUnshownAsync(live, name, e => taken.Add(EventView.FromClientEvent(e)), ct).ConfigureAwait(false);
            }
            else
            {
                taken.AddRange(client.Store.TakeUnshownIncoming(name).Select(m => EventView.FromMessage(m)));
            }

            return new HistoryResult { Messages = taken };
        }

        if (link is null)
        {
            var messages = await client.HistoryAsync(p.User, p.Limit, ct).ConfigureAwait(false);
            return new HistoryResult { Messages = messages.Select(m => EventView.FromMessage(m)).ToList() };
        }

        if (link.Pump is { } pump)
        {
            // Shown now: the read receipts go out over the live link (no second connection).
            await client.ShowUnshownAsync(pump, name, _ => { }, ct).ConfigureAwait(false);
        }

        return new HistoryResult { Messages = client.Store.History(name, p.Limit).Select(m => EventView.FromMessage(m)).ToList() };
    }

    public async Task<VerifyResult> VerifyAsync(VerifyParams p, CancellationToken ct)
    {
        var number = await client.GetSafetyNumberAsync(p.User, ct).ConfigureAwait(false);
        if (p.Confirm)
        {
            client.ConfirmVerified(p.User);
        }

        return new VerifyResult
        {
            User = p.User,
            SafetyNumber = number.ToDisplayString(),
            Qr = Convert.ToBase64String(number.ToQrPayload()),
            Verified = p.Confirm || client.IsVerified(p.User),
        };
    }

    public TrustResult Trust(UserParams p) => new() { User = p.User, Trusted = true, Changed = client.TrustChangedKey(p.User) };

    public async Task<StatusResult> StatusAsync(CancellationToken ct)
    {
        if (link is null)
        {
            var status = await client.GetStatusAsync(ct).ConfigureAwait(false);
            return new StatusResult
            {
                User = client.User.Value, Server = client.Server.ToString(), Connected = status.Connected,
                PendingOutgoing = status.PendingOutgoing, Online = status.OnlineContacts,
            };
        }

        return new StatusResult
        {
            User = client.User.Value, Server = client.Server.ToString(), Connected = link.IsConnected,
            PendingOutgoing = client.Store.CountOutbox(), Online = OnlineContacts(link.OnlineContacts),
        };
    }

    public async Task<OnlineResult> OnlineAsync(CancellationToken ct)
    {
        var online = link is null ? (await client.GetStatusAsync(ct).ConfigureAwait(false)).OnlineContacts : link.OnlineContacts;
        return new OnlineResult { Online = OnlineContacts(online) };
    }

    public async Task<SentResult> SendFileAsync(FileSendParams p, Action<EventView>? onEvent, CancellationToken ct)
    {
        if (!Path.IsPathFullyQualified(p.Path) || !File.Exists(p.Path))
        {
            throw new ApiException(ApiErrorCodes.LocalFileError, "There is no file at that path.");
        }

        var id = await Transfer(onEvent, progress => client.SendFileAsync(p.To, p.Path, progress, ct)).ConfigureAwait(false);
        return new SentResult { Id = id.ToString(), To = p.To, Bytes = new FileInfo(p.Path).Length };
    }

    public async Task<FileGetResult> GetFileAsync(FileGetParams p, Action<EventView>? onEvent, CancellationToken ct)
    {
        if (!Path.IsPathFullyQualified(p.Out))
        {
            throw ApiException.InvalidParams("The output directory must be an absolute path.");
        }

        try
        {
            var saved = await Transfer(onEvent, progress => client.GetFileAsync(p.Id, p.Out, progress, ct)).ConfigureAwait(false);
            return new FileGetResult { Id = p.Id, Path = saved };
        }
        catch (FileNotFoundException)
        {
            throw new ApiException(ApiErrorCodes.LocalFileError, "No received file has that message id in this profile; check 'parley history USER'.");
        }
    }

    internal static void CheckLimit(int limit)
    {
        if (limit < 1 || limit > ClientStore.MaxHistoryLimit)
        {
            throw ApiException.InvalidParams($"--limit must be between 1 and {ClientStore.MaxHistoryLimit}.");
        }
    }

    internal static void CheckText(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ApiException.InvalidParams("The message is empty.");
        }

        if (text.Length > ApiLimits.MaxTextLength)
        {
            throw ApiException.InvalidParams($"The message is longer than {ApiLimits.MaxTextLength} characters.");
        }
    }

    /// <summary>Contacts only, never strangers: presence from anyone else is not reported.</summary>
    private List<string> OnlineContacts(IEnumerable<string> online) =>
        online.Where(u => client.Store.GetContact(u) is { State: ContactState.Accepted }).Order(StringComparer.Ordinal).ToList();

    private static async Task<T> Transfer<T>(Action<EventView>? onEvent, Func<IProgress<TransferProgress>?, Task<T>> run)
    {
        try
        {
            return await run(onEvent is null ? null : new ProgressEvents(onEvent)).ConfigureAwait(false);
        }
        catch (TransferException e)
        {
            throw new ApiException(ApiErrorCodes.LocalFileError, e.Message);
        }
    }

    private static ContactView View(Contact c) => new()
    {
        User = c.UserName,
        State = StateName(c.State),
        Blocked = c.BlockedByMe,
        Verified = c.Verified,
        KeyChanged = c.KeyChanged,
        Note = c.Note,
    };

    /// <summary>The contact states' names, as the CLI prints them.</summary>
    public static string StateName(ContactState state) => state switch
    {
        ContactState.Accepted => "contact",
        ContactState.RequestSent => "request sent",
        ContactState.RequestReceived => "request received",
        _ => "none",
    };

    private sealed class ProgressEvents(Action<EventView> onEvent) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) =>
            onEvent(new EventView { Type = "transfer", Bytes = value.BytesTransferred, Total = value.TotalBytes });
    }
}
