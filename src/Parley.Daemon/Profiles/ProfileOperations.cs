using Parley.Client;
using Parley.Client.Contacts;
using Parley.Client.Errors;
using Parley.Client.Messaging;
using Parley.Client.Storage;
using Parley.Client.Transfers;
using Parley.Daemon.Api;

namespace Parley.Daemon.Profiles;

/// <summary>
/// What the API methods do for one logged-in profile, written once: in a command's own process
/// (the client's link connects once when a call needs the relay, as the CLI always did) or in the
/// daemon, where the client's link is the profile's started, live one.
/// </summary>
internal sealed class ProfileOperations(ParleyClient client)
{
    /// <summary>The length of a message id in its text form (32 hex digits), the only valid <c>before</c> cursor length.</summary>
    private const int MessageIdLength = 32;

    public ParleyClient Client => client;

    public AccountResult WhoAmI() =>
        new() { User = client.User.Value, Server = client.Server.ToString(), Fingerprint = client.ServerFingerprint.ToString() };

    public async Task<ContactListResult> ListContactsAsync(CancellationToken ct)
    {
        try
        {
            var contacts = await client.Contacts.RefreshAsync(ct).ConfigureAwait(false);
            return new ContactListResult { Contacts = contacts.Select(View).ToList() };
        }
        catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachable)
        {
            var saved = await client.Contacts.ListAsync(ct).ConfigureAwait(false);
            return new ContactListResult { Contacts = saved.Select(View).ToList(), Offline = true };
        }
    }

    public async Task<ContactActionResult> RequestContactAsync(ContactRequestParams p, CancellationToken ct)
    {
        await client.Contacts.RequestAsync(p.User, p.Note, ct).ConfigureAwait(false);
        return new ContactActionResult { User = p.User, Result = "requested" };
    }

    public async Task<ContactActionResult> ContactActionAsync(string method, UserParams p, CancellationToken ct)
    {
        var (action, verb) = method switch
        {
            ApiMethods.ContactsAccept => ((Func<string, CancellationToken, Task>)client.Contacts.AcceptAsync, "accepted"),
            ApiMethods.ContactsDecline => (client.Contacts.DeclineAsync, "declined"),
            ApiMethods.ContactsRemove => (client.Contacts.RemoveAsync, "removed"),
            ApiMethods.Block => (client.Contacts.BlockAsync, "blocked"),
            ApiMethods.Unblock => (client.Contacts.UnblockAsync, "unblocked"),
            _ => throw new ArgumentOutOfRangeException(nameof(method)),
        };
        await action(p.User, ct).ConfigureAwait(false);
        return new ContactActionResult { User = p.User, Result = verb };
    }

    /// <summary>
    /// The latest messages with a contact or former contact, or the page before the cursor <c>before</c>
    /// (messages shown here for the first time count as read); with <c>unread</c>, only the messages not
    /// shown yet, which count as read from now on.
    /// </summary>
    public async Task<HistoryResult> HistoryAsync(HistoryParams p, CancellationToken ct)
    {
        CheckLimit(p.Limit);
        var before = ParseCursor(p);
        await client.Contacts.RequireKnownAsync(p.User, ct).ConfigureAwait(false);
        if (p.Unread)
        {
            var unread = await client.Conversations.TakeUnreadAsync(p.User, ct).ConfigureAwait(false);
            return new HistoryResult { Messages = unread.Select(m => EventView.FromMessage(m)).ToList() };
        }

        var page = await client.Conversations.HistoryPageAsync(p.User, p.Limit, before, ct).ConfigureAwait(false)
            ?? throw ApiException.InvalidParams("'before' is not a message of this conversation.");
        return new HistoryResult { Messages = page.Messages.Select(m => EventView.FromMessage(m)).ToList(), Before = page.Older?.ToString() };
    }

    /// <summary>The <c>before</c> cursor, checked before any work: 32 hex digits, and not with <c>unread</c>.</summary>
    private static MessageId? ParseCursor(HistoryParams p)
    {
        if (p.Before is null)
        {
            return null;
        }

        if (p.Unread)
        {
            throw ApiException.InvalidParams("'before' pages through history; it cannot be combined with 'unread'.");
        }

        return p.Before.Length == MessageIdLength && MessageId.TryParse(p.Before, out var id)
            ? id
            : throw ApiException.InvalidParams("'before' must be a cursor from an earlier history result (32 hex digits).");
    }

    public async Task<VerifyResult> VerifyAsync(VerifyParams p, CancellationToken ct)
    {
        await client.Contacts.RequireKnownAsync(p.User, ct).ConfigureAwait(false);
        var number = await client.Identity.GetSafetyNumberAsync(p.User, ct).ConfigureAwait(false);
        if (p.Confirm)
        {
            await client.Identity.ConfirmVerifiedAsync(p.User, ct).ConfigureAwait(false);
        }

        return new VerifyResult
        {
            User = p.User,
            SafetyNumber = number.ToDisplayString(),
            Qr = Convert.ToBase64String(number.ToQrPayload()),
            Verified = p.Confirm || await client.Identity.IsVerifiedAsync(p.User, ct).ConfigureAwait(false),
        };
    }

    public async Task<TrustResult> TrustAsync(UserParams p, CancellationToken ct) =>
        new() { User = p.User, Trusted = true, Changed = await client.Identity.TrustChangedKeyAsync(p.User, ct).ConfigureAwait(false) };

    /// <summary><c>disconnect</c>.</summary>
    /// <param name="p">The contact.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>Whether a session was ended.</returns>
    public async Task<DisconnectResult> DisconnectAsync(UserParams p, CancellationToken ct) =>
        new() { User = p.User, Ended = await client.Sessions.DisconnectAsync(p.User, ct).ConfigureAwait(false) };

    public async Task<StatusResult> StatusAsync(CancellationToken ct)
    {
        var status = await client.Presence.GetStatusAsync(ct).ConfigureAwait(false);
        return new StatusResult
        {
            User = client.User.Value, Server = client.Server.ToString(), Connected = status.Connected,
            PendingOutgoing = status.PendingOutgoing, Online = await OnlineContactsAsync(status.OnlineContacts, ct).ConfigureAwait(false),
        };
    }

    public async Task<OnlineResult> OnlineAsync(CancellationToken ct)
    {
        var status = await client.Presence.GetStatusAsync(ct).ConfigureAwait(false);
        return new OnlineResult { Online = await OnlineContactsAsync(status.OnlineContacts, ct).ConfigureAwait(false) };
    }

    public async Task<SentResult> SendFileAsync(FileSendParams p, Action<EventView>? onEvent, CancellationToken ct)
    {
        if (!Path.IsPathFullyQualified(p.Path) || !File.Exists(p.Path))
        {
            throw new ApiException(ApiErrorCodes.LocalFileError, "There is no file at that path.");
        }

        var size = new FileInfo(p.Path).Length;
        var id = await Transfer(onEvent, progress => client.Transfers.SendFileAsync(p.To, p.Path, progress, ct)).ConfigureAwait(false);
        return new SentResult { Id = id.ToString(), To = p.To, Name = Path.GetFileName(p.Path), Size = size };
    }

    public async Task<FileGetResult> GetFileAsync(FileGetParams p, Action<EventView>? onEvent, CancellationToken ct)
    {
        if (p.Out is null || !Path.IsPathFullyQualified(p.Out))
        {
            throw ApiException.InvalidParams("The output directory must be an absolute path.");
        }

        try
        {
            var saved = await Transfer(onEvent, progress => client.Transfers.GetFileAsync(p.Id, p.Out, progress, ct)).ConfigureAwait(false);
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
    private async Task<List<string>> OnlineContactsAsync(IEnumerable<string> online, CancellationToken ct)
    {
        var contacts = (await client.Contacts.ListAsync(ct).ConfigureAwait(false))
            .Where(c => c.State == ContactState.Accepted).Select(c => c.UserName).ToHashSet(StringComparer.Ordinal);
        return online.Where(contacts.Contains).Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<T> Transfer<T>(Action<EventView>? onEvent, Func<IProgress<TransferProgress>?, Task<T>> run)
    {
        try
        {
            return await run(onEvent is null ? null : new ProgressEvents(onEvent)).ConfigureAwait(false);
        }
        catch (TransferException e) when (e.Error == TransferError.Interrupted)
        {
            throw new ApiException(ApiErrorCodes.ClientError, "The server cannot be reached (the transfer was interrupted); run the same command again to resume.", ClientErrorKind.ServerUnreachable);
        }
        catch (HttpRequestException e)
        {
            throw new ParleyClientException(ClientErrorKind.ServerUnreachable, e);
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
        IdentityKnown = c.IdentityKey is not null,
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
