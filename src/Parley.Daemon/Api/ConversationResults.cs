namespace Parley.Daemon.Api;

/// <summary>One entry of <c>conversations</c>: a contact (or former contact with history) as a conversation list shows it.</summary>
public sealed class ConversationView
{
    /// <summary>The other user.</summary>
    public required string User { get; init; }

    /// <summary><c>contact</c>, <c>request sent</c>, <c>request received</c> or <c>none</c> (a former contact whose history stays).</summary>
    public required string State { get; init; }

    /// <summary>Whether you blocked them.</summary>
    public required bool Blocked { get; init; }

    /// <summary>Whether you verified their safety number.</summary>
    public required bool Verified { get; init; }

    /// <summary>Whether their identity key changed and waits for <c>trust</c>.</summary>
    public required bool KeyChanged { get; init; }

    /// <summary>The note of their request.</summary>
    public string? Note { get; init; }

    /// <summary>Incoming messages not shown yet.</summary>
    public required int Unread { get; init; }

    /// <summary>Whether they are online now (contacts only).</summary>
    public required bool Online { get; init; }

    /// <summary>When the latest message was sent (ISO 8601), or null without messages.</summary>
    public string? LastActivity { get; init; }

    /// <summary>
    /// The latest message on one line, at most <see cref="ApiLimits.MaxPreviewLength"/> characters (a
    /// file message: its file line), or null without messages. Only ever in this result, never logged.
    /// </summary>
    public string? Preview { get; init; }

    /// <summary><c>in</c> or <c>out</c>: who wrote the previewed message.</summary>
    public string? PreviewDirection { get; init; }
}

/// <summary><c>conversations</c>.</summary>
public sealed class ConversationsResult
{
    /// <summary>Incoming requests first, then by last activity (newest first), then by name.</summary>
    public required IReadOnlyList<ConversationView> Conversations { get; init; }

    /// <summary>False when presence could not be asked (link down or no answer in time): every <c>online</c> is then false.</summary>
    public required bool OnlineKnown { get; init; }
}
