namespace Parley.Daemon.Api;

/// <summary>
/// <c>register</c>, <c>login</c>, <c>logout</c>, <c>whoami</c>, <c>account.delete</c>: the account
/// and its server (fields that do not apply are left out).
/// </summary>
public sealed class AccountResult
{
    /// <summary>The user.</summary>
    public required string User { get; init; }

    /// <summary>The server's address.</summary>
    public string? Server { get; init; }

    /// <summary>The pinned certificate fingerprint.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>Whether the profile is logged in after the call.</summary>
    public bool? LoggedIn { get; init; }

    /// <summary>True after <c>account.delete</c>.</summary>
    public bool? Deleted { get; init; }

    /// <summary>True after <c>account.password</c>.</summary>
    public bool? PasswordChanged { get; init; }
}

/// <summary>One contact in <c>contacts.list</c>.</summary>
public sealed class ContactView
{
    /// <summary>The contact's user name.</summary>
    public required string User { get; init; }

    /// <summary><c>contact</c>, <c>request sent</c>, <c>request received</c> or <c>none</c>.</summary>
    public required string State { get; init; }

    /// <summary>Whether you blocked them.</summary>
    public required bool Blocked { get; init; }

    /// <summary>Whether you verified their safety number.</summary>
    public required bool Verified { get; init; }

    /// <summary>Whether their identity key changed and waits for <c>trust</c>.</summary>
    public required bool KeyChanged { get; init; }

    /// <summary>Whether their identity key is pinned on this device yet.</summary>
    public bool IdentityKnown { get; init; }

    /// <summary>The note of their request.</summary>
    public string? Note { get; init; }
}

/// <summary><c>contacts.list</c>.</summary>
public sealed class ContactListResult
{
    /// <summary>The contacts, sorted by name.</summary>
    public required IReadOnlyList<ContactView> Contacts { get; init; }

    /// <summary>True when the server was unreachable and the list is the one saved on this device.</summary>
    public bool Offline { get; init; }
}

/// <summary><c>contacts.request|accept|decline|remove</c>, <c>block</c>, <c>unblock</c>.</summary>
public sealed class ContactActionResult
{
    /// <summary>The other user.</summary>
    public required string User { get; init; }

    /// <summary><c>requested</c>, <c>accepted</c>, <c>declined</c>, <c>removed</c>, <c>blocked</c> or <c>unblocked</c>.</summary>
    public required string Result { get; init; }
}

/// <summary><c>send</c> and <c>files.send</c>: the id of the message the server stored.</summary>
public sealed class SentResult
{
    /// <summary>The message id (32 hex digits).</summary>
    public required string Id { get; init; }

    /// <summary>The contact.</summary>
    public required string To { get; init; }

    /// <summary>Always <c>sent</c> (the server stored it; a message that could not be sent is an error).</summary>
    public string Status { get; init; } = "sent";

    /// <summary>For files: the file's name.</summary>
    public string? Name { get; init; }

    /// <summary>For files: the file's size in bytes.</summary>
    public long? Size { get; init; }
}

/// <summary><c>history</c>.</summary>
public sealed class HistoryResult
{
    /// <summary>The messages, oldest first (each an event of type <c>message</c>).</summary>
    public required IReadOnlyList<EventView> Messages { get; init; }

    /// <summary>The cursor for the next older page (pass it as <c>before</c>); null when this page reaches the start.</summary>
    public string? Before { get; init; }
}

/// <summary><c>receive</c>: how many events were streamed before the result.</summary>
public sealed class ReceiveResult
{
    /// <summary>The number of <c>event</c> notifications this call sent.</summary>
    public required int Count { get; init; }
}

/// <summary><c>verify</c>.</summary>
public sealed class VerifyResult
{
    /// <summary>The contact.</summary>
    public required string User { get; init; }

    /// <summary>60 digits in 12 groups of 5, separated by spaces.</summary>
    public required string SafetyNumber { get; init; }

    /// <summary>The QR code's payload, base64.</summary>
    public required string Qr { get; init; }

    /// <summary>Whether the contact is verified (after this call).</summary>
    public required bool Verified { get; init; }
}

/// <summary><c>trust</c>.</summary>
public sealed class TrustResult
{
    /// <summary>The contact.</summary>
    public required string User { get; init; }

    /// <summary>Always true.</summary>
    public required bool Trusted { get; init; }

    /// <summary>Whether there was a changed key to accept.</summary>
    public required bool Changed { get; init; }
}

/// <summary><c>disconnect</c>.</summary>
public sealed class DisconnectResult
{
    /// <summary>The contact.</summary>
    public required string User { get; init; }

    /// <summary>Whether a session was ended (false: there was none, nothing was sent).</summary>
    public required bool Ended { get; init; }
}

/// <summary><c>status</c>.</summary>
public sealed class StatusResult
{
    /// <summary>The user.</summary>
    public required string User { get; init; }

    /// <summary>The server's address.</summary>
    public required string Server { get; init; }

    /// <summary>Whether the relay connection is open.</summary>
    public required bool Connected { get; init; }

    /// <summary>Messages stored locally and not yet acknowledged by the server.</summary>
    public required int PendingOutgoing { get; init; }

    /// <summary>Contacts online now.</summary>
    public required IReadOnlyList<string> Online { get; init; }
}

/// <summary><c>online</c>.</summary>
public sealed class OnlineResult
{
    /// <summary>Contacts connected right now, sorted.</summary>
    public required IReadOnlyList<string> Online { get; init; }
}

/// <summary><c>files.get</c>.</summary>
public sealed class FileGetResult
{
    /// <summary>The message id.</summary>
    public required string Id { get; init; }

    /// <summary>Where the file was saved.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// When no <c>out</c> was given: the token that fetches the verified file once from
    /// <c>GET /api/v1/staging/TOKEN</c> (the web app's download).
    /// </summary>
    public string? Staged { get; init; }
}

/// <summary><c>typing</c>, <c>subscribe</c>, <c>unsubscribe</c>, <c>auth</c>.</summary>
public sealed class OkResult
{
    /// <summary>Always true.</summary>
    public bool Ok { get; init; } = true;
}

/// <summary><c>daemon.info</c>.</summary>
public sealed class DaemonInfoResult
{
    /// <summary>The daemon's process id.</summary>
    public required int Pid { get; init; }

    /// <summary>The loopback TCP port of the HTTP API and the web app.</summary>
    public required int Port { get; init; }

    /// <summary>The profiles served.</summary>
    public required IReadOnlyList<string> Profiles { get; init; }

    /// <summary>The web app's address with the secret in the fragment (only over the Unix socket).</summary>
    public string? Url { get; init; }
}

/// <summary>The answer to a staged upload.</summary>
public sealed class StagedUpload
{
    /// <summary>The staged file's absolute path, for <c>files.send</c>.</summary>
    public required string Path { get; init; }
}

/// <summary>A refused staging request.</summary>
public sealed class StagingProblem
{
    /// <summary>One sentence.</summary>
    public required string Error { get; init; }
}
