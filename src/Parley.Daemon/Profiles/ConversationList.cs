using System.Globalization;
using System.Text;
using Parley.Client;
using Parley.Client.Contacts;
using Parley.Client.Errors;
using Parley.Client.Messaging;
using Parley.Client.Relay;
using Parley.Client.Storage;
using Parley.Client.Transfers;
using Parley.Daemon.Api;

namespace Parley.Daemon.Profiles;

/// <summary>
/// The <c>conversations</c> method: the list a messenger's sidebar shows, assembled once here from the
/// saved contacts, the store's per-conversation summaries and one presence question, so that a page
/// paints it from one answer instead of fetching every conversation's history.
/// </summary>
internal sealed class ConversationList(ParleyClient client)
{
    /// <summary>
    /// How long the list waits for the server's presence answer: the list is local and must paint at
    /// once, so on a slow answer it comes without presence (live <c>presence</c> events follow).
    /// </summary>
    public static readonly TimeSpan PresenceWait = TimeSpan.FromSeconds(2);

    public async Task<ConversationsResult> ListAsync(CancellationToken ct)
    {
        var asking = OnlineAsync(ct); // the server's round trip overlaps the local reads
        var contacts = await client.Contacts.ListAsync(ct).ConfigureAwait(false);
        var summaries = (await client.Conversations.SummariesAsync(ct).ConfigureAwait(false))
            .ToDictionary(s => s.Last.Peer, StringComparer.Ordinal);
        var online = await asking.ConfigureAwait(false);
        var views = new List<(ConversationView View, DateTimeOffset At)>();
        foreach (var contact in contacts)
        {
            summaries.Remove(contact.UserName, out var summary);
            views.Add((View(contact.UserName, contact, summary, online), summary?.Last.SentAt ?? DateTimeOffset.MinValue));
        }

        views.AddRange(summaries.Values.Select(s => (View(s.Last.Peer, null, s, online), s.Last.SentAt))); // former contacts with history
        var requestReceived = ProfileOperations.StateName(ContactState.RequestReceived);
        var ordered = views
            .OrderBy(v => v.View.State == requestReceived ? 0 : 1)
            .ThenByDescending(v => v.At)
            .ThenBy(v => v.View.User, StringComparer.Ordinal)
            .Select(v => v.View)
            .ToList();
        return new ConversationsResult { Conversations = ordered, OnlineKnown = online is not null };
    }

    /// <summary>One line of at most <see cref="ApiLimits.MaxPreviewLength"/> characters (whitespace runs become one space).</summary>
    internal static string Preview(string text)
    {
        var line = new StringBuilder(Math.Min(text.Length, ApiLimits.MaxPreviewLength + 1));
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = line.Length > 0;
                continue;
            }

            if (space)
            {
                line.Append(' ');
                space = false;
            }

            line.Append(c);
            if (line.Length > ApiLimits.MaxPreviewLength)
            {
                break;
            }
        }

        if (line.Length <= ApiLimits.MaxPreviewLength)
        {
            return line.ToString();
        }

        var cut = ApiLimits.MaxPreviewLength - 1;
        if (char.IsHighSurrogate(line[cut - 1]))
        {
            cut--; // never split a surrogate pair
        }

        return line.ToString(0, cut) + "…";
    }

    /// <summary>
    /// What a message previews as: a file message as its sanitized name (the stored pointer holds the
    /// file's key, which never leaves the daemon), anything else as its text.
    /// </summary>
    private static string PreviewText(StoredMessage message) =>
        message.Call is null && message.Text.StartsWith(FileMessageText.Prefix, StringComparison.Ordinal)
            ? FileMessageText.Describe(message.Text) is { } file ? "File: " + file.Name : "File"
            : message.Text;

    private static ConversationView View(string user, Contact? contact, ConversationSummary? summary, HashSet<string>? online) => new()
    {
        User = user,
        State = contact is null ? "none" : ProfileOperations.StateName(contact.State),
        Blocked = contact?.BlockedByMe ?? false,
        Verified = contact?.Verified ?? false,
        KeyChanged = contact?.KeyChanged ?? false,
        Note = contact?.State == ContactState.RequestReceived ? contact.Note : null,
        Unread = summary?.Unread ?? 0,
        Online = contact?.State == ContactState.Accepted && online is not null && online.Contains(user),
        LastActivity = summary?.Last.SentAt.ToString("O", CultureInfo.InvariantCulture),
        Preview = summary is null ? null : Preview(PreviewText(summary.Last)),
        PreviewDirection = summary is null ? null : summary.Last.Direction == MessageDirection.Incoming ? "in" : "out",
    };

    /// <summary>The contacts online now, or null when the link is down or the server did not answer within <see cref="PresenceWait"/>.</summary>
    private async Task<HashSet<string>?> OnlineAsync(CancellationToken ct)
    {
        if (client.Link.State != RelayLinkState.Connected)
        {
            return null;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(PresenceWait);
        try
        {
            return (await client.Presence.OnlineContactsAsync(wait.Token).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
        catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachable)
        {
            return null;
        }
    }
}
