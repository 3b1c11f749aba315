namespace Parley.Client.Conversations;

/// <summary>What happens to an incoming message once it is stored.</summary>
public enum IncomingDisplay
{
    /// <summary>Handed out now as a <see cref="ClientEventKind.Message"/> event, marked shown, and a read receipt goes back.</summary>
    Show,

    /// <summary>Reported as a <see cref="ClientEventKind.Message"/> event but left unread (a delivery receipt goes back); history shows it later.</summary>
    Announce,

    /// <summary>Stored silently with a delivery receipt; a later receive, chat or history shows it.</summary>
    Quiet,
}

/// <summary>
/// Which incoming messages a profile shows as they arrive: everything (<c>parley receive</c>), one
/// conversation (<c>parley chat</c>: the others are kept for later), or nothing but announcements
/// (the default, for a daemon whose user interface marks messages read by displaying them).
/// </summary>
public sealed class DisplayPolicy
{
    private readonly string? _peer;
    private readonly IncomingDisplay _others;

    private DisplayPolicy(string? peer, IncomingDisplay others)
    {
        _peer = peer;
        _others = others;
    }

    /// <summary>Show every message (and everything stored but unshown, on connect).</summary>
    public static DisplayPolicy ShowAll { get; } = new(null, IncomingDisplay.Show);

    /// <summary>Announce every message without marking it read.</summary>
    public static DisplayPolicy AnnounceAll { get; } = new(null, IncomingDisplay.Announce);

    /// <summary>Show <paramref name="peer"/>'s messages (and their unshown ones, on connect); keep the others quietly.</summary>
    /// <param name="peer">The normalized user name of the conversation shown.</param>
    /// <returns>The policy.</returns>
    public static DisplayPolicy ShowOnly(string peer)
    {
        ArgumentException.ThrowIfNullOrEmpty(peer);
        return new DisplayPolicy(peer, IncomingDisplay.Quiet);
    }

    /// <summary>Whether stored-but-unshown messages are handed out when a connection opens.</summary>
    internal bool ShowsUnshownOnConnect => _peer is not null || _others == IncomingDisplay.Show;

    /// <summary>Whose unshown messages are handed out on connect (null: everyone's).</summary>
    internal string? UnshownScope => _peer;

    /// <summary>What to do with a message from <paramref name="sender"/>.</summary>
    internal IncomingDisplay For(string sender) =>
        _peer is not null && string.Equals(sender, _peer, StringComparison.Ordinal) ? IncomingDisplay.Show : _others;
}
