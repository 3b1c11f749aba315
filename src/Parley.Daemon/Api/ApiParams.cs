namespace Parley.Daemon.Api;

/// <summary>Parameters of methods that act on one profile: <c>profile</c> is <c>--as</c> (default: the current profile).</summary>
public class ProfileParams
{
    /// <summary>The profile to act as, or null for the home's current profile.</summary>
    public string? Profile { get; init; }
}

/// <summary>Parameters naming another user.</summary>
public class UserParams : ProfileParams
{
    /// <summary>The other user.</summary>
    public required string User { get; init; }
}

/// <summary><c>register</c> and <c>login</c>.</summary>
public sealed class AccountParams
{
    /// <summary>The user name.</summary>
    public required string User { get; init; }

    /// <summary>The server's https address.</summary>
    public required string Server { get; init; }

    /// <summary>The password (never logged, never echoed).</summary>
    public required string Password { get; init; }

    /// <summary>The certificate fingerprint to pin (<c>SHA256:HEX</c>); required on first contact with a server.</summary>
    public string? TrustServer { get; init; }

    /// <summary>
    /// <c>login</c> only, when the home already has the profile: make its identity the account's again
    /// after a login from another home replaced it (contacts see a key change).
    /// </summary>
    public bool ReplaceIdentity { get; init; }
}

/// <summary><c>account.delete</c>.</summary>
public sealed class AccountDeleteParams : ProfileParams
{
    /// <summary>The account password, proved again.</summary>
    public required string Password { get; init; }
}

/// <summary><c>account.password</c>.</summary>
public sealed class AccountPasswordParams : ProfileParams
{
    /// <summary>The current password, proved again.</summary>
    public required string Password { get; init; }

    /// <summary>The new password (1 to 1,024 characters; judging its strength is the caller's policy, as for <c>register</c>).</summary>
    public required string NewPassword { get; init; }
}

/// <summary><c>contacts.request</c>.</summary>
public sealed class ContactRequestParams : UserParams
{
    /// <summary>A note shown with the request (at most 280 characters).</summary>
    public string? Note { get; init; }
}

/// <summary><c>send</c>.</summary>
public sealed class SendParams : ProfileParams
{
    /// <summary>The contact.</summary>
    public required string To { get; init; }

    /// <summary>The text (1 to <see cref="ApiLimits.MaxTextLength"/> characters).</summary>
    public required string Text { get; init; }
}

/// <summary><c>typing</c>.</summary>
public sealed class TypingParams : ProfileParams
{
    /// <summary>The contact.</summary>
    public required string To { get; init; }

    /// <summary>Whether typing now.</summary>
    public required bool Typing { get; init; }
}

/// <summary><c>receive</c>.</summary>
public sealed class ReceiveParams : ProfileParams
{
    /// <summary>Seconds to keep streaming new events after the waiting ones (0 to 86,400).</summary>
    public int Wait { get; init; }
}

/// <summary><c>history</c>.</summary>
public sealed class HistoryParams : UserParams
{
    /// <summary>How many of the latest messages (1 to 10,000; default 50).</summary>
    public int Limit { get; set; } = 50;

    /// <summary>Only the incoming messages not shown before (they count as read from now on); <c>limit</c> is ignored.</summary>
    public bool Unread { get; init; }

    /// <summary>
    /// The cursor of an earlier page (its result's <c>before</c>, a message id of 32 hex digits): the
    /// messages stored before that one; null for the newest page.
    /// </summary>
    public string? Before { get; init; }
}

/// <summary><c>verify</c>.</summary>
public sealed class VerifyParams : UserParams
{
    /// <summary>Mark the contact verified.</summary>
    public bool Confirm { get; init; }
}

/// <summary><c>files.send</c>.</summary>
public sealed class FileSendParams : ProfileParams
{
    /// <summary>The contact.</summary>
    public required string To { get; init; }

    /// <summary>The absolute path of the file to send (read by the daemon, which runs as you).</summary>
    public required string Path { get; init; }

    /// <summary>A name the caller picks for this transfer: echoed in its <c>transfer</c> events, and what <c>files.cancel</c> takes.</summary>
    public string? Transfer { get; init; }
}

/// <summary><c>files.get</c>.</summary>
public sealed class FileGetParams : ProfileParams
{
    /// <summary>The id of the message that carried the file.</summary>
    public required string Id { get; init; }

    /// <summary>
    /// The absolute directory to save into; when omitted, the daemon keeps the verified file for the
    /// caller to fetch once (<see cref="FileGetResult.Staged"/>).
    /// </summary>
    public string? Out { get; init; }

    /// <summary>A name the caller picks for this transfer: echoed in its <c>transfer</c> events, and what <c>files.cancel</c> takes.</summary>
    public string? Transfer { get; init; }
}

/// <summary><c>files.cancel</c>.</summary>
public sealed class FileCancelParams
{
    /// <summary>The name given to a running <c>files.send</c> or <c>files.get</c> on this connection.</summary>
    public required string Transfer { get; init; }
}

/// <summary><c>server.probe</c>.</summary>
public sealed class ProbeParams
{
    /// <summary>The server's https address.</summary>
    public required string Server { get; init; }

    /// <summary>The user about to register or log in: their profile's pinned fingerprint, if any, is compared.</summary>
    public string? User { get; init; }
}

/// <summary><c>server.probe</c>: the certificate the server presents now.</summary>
public sealed class ProbeResult
{
    /// <summary>The server's address, normalized.</summary>
    public required string Server { get; init; }

    /// <summary>The fingerprint of the certificate it presented (<c>SHA256:HEX</c>).</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The fingerprint pinned for this user on this server, or null when there is none yet (first use).</summary>
    public string? Pinned { get; init; }

    /// <summary>True when a fingerprint is pinned and the server now presents another one: refuse it.</summary>
    public required bool Changed { get; init; }
}

/// <summary><c>settings</c>: each setting given is changed and saved; the others stay.</summary>
public sealed class SettingsParams : ProfileParams
{
    /// <summary>Whether desktop notifications may show message text; null leaves it as it is.</summary>
    public bool? NotificationPreviews { get; init; }
}

/// <summary><c>settings</c>: the profile's settings after the call.</summary>
public sealed class SettingsResult
{
    /// <summary>Whether desktop notifications may show message text (default false).</summary>
    public required bool NotificationPreviews { get; init; }
}

/// <summary><c>subscribe</c>.</summary>
public sealed class SubscribeParams
{
    /// <summary>Only this profile's events, or null for every profile the daemon serves.</summary>
    public string? Profile { get; init; }
}

/// <summary><c>auth</c>.</summary>
public sealed class AuthParams
{
    /// <summary>The daemon's per-launch secret (64 hex digits).</summary>
    public required string Token { get; init; }
}

/// <summary>Limits of the local API; each is tested at the limit and one past it.</summary>
public static class ApiLimits
{
    /// <summary>The largest request (one JSON-RPC message) accepted, checked before parsing.</summary>
    public const int MaxRequestBytes = 256 * 1024;

    /// <summary>The longest message text (UTF-16 code units), well inside the relay's 256 KiB envelope.</summary>
    public const int MaxTextLength = 64 * 1024;

    /// <summary>Requests one connection may make per second before it is told to slow down.</summary>
    public const int MaxRequestsPerSecond = 200;

    /// <summary>Requests one connection may have running at once.</summary>
    public const int MaxConcurrentRequests = 8;

    /// <summary>Event notifications queued for one slow subscriber before the oldest are dropped.</summary>
    public const int MaxQueuedEvents = 1_000;

    /// <summary>Local connections (Unix socket and WebSocket) served at once.</summary>
    public const int MaxConnections = 64;

    /// <summary>The longest transfer name (<c>transfer</c> of <c>files.send</c> / <c>files.get</c>): letters, digits, '-' and '_'.</summary>
    public const int MaxTransferNameLength = 64;

    /// <summary>The longest <c>receive</c> wait, in seconds.</summary>
    public const int MaxWaitSeconds = 86_400;

    /// <summary>The longest last-message preview in <c>conversations</c> (characters; longer text is cut with an ellipsis).</summary>
    public const int MaxPreviewLength = 120;
}
