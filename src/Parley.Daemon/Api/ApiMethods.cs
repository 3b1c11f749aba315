namespace Parley.Daemon.Api;

/// <summary>
/// The names of the local API's JSON-RPC methods: one per <c>parley</c> command (a space in the
/// command becomes a dot), plus the ones only programs need. docs/API.md documents each; a test
/// checks that this list and the document agree.
/// </summary>
public static class ApiMethods
{
    /// <summary><c>parley register</c>.</summary>
    public const string Register = "register";

    /// <summary><c>parley login</c>.</summary>
    public const string Login = "login";

    /// <summary>The certificate fingerprint a server presents, for trust on first use before registering or logging in.</summary>
    public const string ServerProbe = "server.probe";

    /// <summary><c>parley logout</c>.</summary>
    public const string Logout = "logout";

    /// <summary><c>parley whoami</c>.</summary>
    public const string WhoAmI = "whoami";

    /// <summary><c>parley account delete</c>.</summary>
    public const string AccountDelete = "account.delete";

    /// <summary><c>parley password</c>.</summary>
    public const string AccountPassword = "account.password";

    /// <summary><c>parley contacts list</c>.</summary>
    public const string ContactsList = "contacts.list";

    /// <summary><c>parley contacts request</c>.</summary>
    public const string ContactsRequest = "contacts.request";

    /// <summary><c>parley contacts accept</c>.</summary>
    public const string ContactsAccept = "contacts.accept";

    /// <summary><c>parley contacts decline</c>.</summary>
    public const string ContactsDecline = "contacts.decline";

    /// <summary><c>parley contacts remove</c>.</summary>
    public const string ContactsRemove = "contacts.remove";

    /// <summary><c>parley block</c>.</summary>
    public const string Block = "block";

    /// <summary><c>parley unblock</c>.</summary>
    public const string Unblock = "unblock";

    /// <summary>The conversation list: contacts and former contacts with history, by last activity, with unread counts, presence and a preview.</summary>
    public const string Conversations = "conversations";

    /// <summary><c>parley send</c>.</summary>
    public const string Send = "send";

    /// <summary><c>parley receive</c>.</summary>
    public const string Receive = "receive";

    /// <summary><c>parley history</c>.</summary>
    public const string History = "history";

    /// <summary>Typing notices (what <c>parley chat</c> sends while you type).</summary>
    public const string Typing = "typing";

    /// <summary><c>parley verify</c>.</summary>
    public const string Verify = "verify";

    /// <summary><c>parley trust</c>.</summary>
    public const string Trust = "trust";

    /// <summary><c>parley disconnect</c>.</summary>
    public const string Disconnect = "disconnect";

    /// <summary><c>parley status</c>.</summary>
    public const string Status = "status";

    /// <summary><c>parley online</c>.</summary>
    public const string Online = "online";

    /// <summary><c>parley file send</c>.</summary>
    public const string FilesSend = "files.send";

    /// <summary><c>parley file get</c>.</summary>
    public const string FilesGet = "files.get";

    /// <summary>Cancels a running <c>files.send</c> or <c>files.get</c> of this connection (the web app's cancel button).</summary>
    public const string FilesCancel = "files.cancel";

    /// <summary>TURN credentials for the browser's peer connection.</summary>
    public const string CallsTurn = "calls.turn";

    /// <summary><c>parley call USER</c> (from the web app, with the browser's SDP offer).</summary>
    public const string CallsStart = "calls.start";

    /// <summary>The call in progress (with the offer of a ringing call).</summary>
    public const string CallsCurrent = "calls.current";

    /// <summary>Accepts the ringing call with the browser's SDP answer.</summary>
    public const string CallsAccept = "calls.accept";

    /// <summary><c>parley call decline</c>.</summary>
    public const string CallsDecline = "calls.decline";

    /// <summary><c>parley call hangup</c>: cancels, declines or ends the call.</summary>
    public const string CallsHangup = "calls.hangup";

    /// <summary>What the browser's peer connection reports: candidates, connected (with the remote fingerprint), lost, failed, re-offers.</summary>
    public const string CallsSignal = "calls.signal";

    /// <summary>The profile's user-interface settings (notification previews), read or changed.</summary>
    public const string Settings = "settings";

    /// <summary>Streams events as notifications on this connection.</summary>
    public const string Subscribe = "subscribe";

    /// <summary>Stops the event stream of this connection.</summary>
    public const string Unsubscribe = "unsubscribe";

    /// <summary>The daemon's own facts: profiles served, port, process id.</summary>
    public const string DaemonInfo = "daemon.info";

    /// <summary>Authenticates a WebSocket with the secret (first message), when the subprotocol did not carry it.</summary>
    public const string Auth = "auth";

    /// <summary>The method name of event notifications sent to subscribers.</summary>
    public const string EventNotification = "event";

    /// <summary>Every method a client may call.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ServerProbe, Register, Login, Logout, WhoAmI, AccountDelete, AccountPassword,
        ContactsList, Conversations, ContactsRequest, ContactsAccept, ContactsDecline, ContactsRemove, Block, Unblock,
        Send, Receive, History, Typing, Verify, Trust, Disconnect, Status, Online, FilesSend, FilesGet, FilesCancel,
        CallsTurn, CallsStart, CallsCurrent, CallsAccept, CallsDecline, CallsHangup, CallsSignal,
        Settings, Subscribe, Unsubscribe, DaemonInfo, Auth,
    ];
}
