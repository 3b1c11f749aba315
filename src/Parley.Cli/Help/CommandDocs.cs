using Parley.Cli.Output;

namespace Parley.Cli.Help;

/// <summary>What a manual page says beyond the command tree: more description, the exit codes that apply, examples.</summary>
internal sealed record CommandDoc(IReadOnlyList<string> Details, IReadOnlyList<int> ExitCodes, IReadOnlyList<(string CommandLine, string Meaning)> Examples);

/// <summary>The manual text of every command, keyed by its path ("send", "file send", "" for parley itself).</summary>
internal static class CommandDocs
{
    private static readonly int[] Online = [ExitCodes.ServerUnreachable, ExitCodes.NotLoggedIn, ExitCodes.CertificateChanged];
    private static readonly int[] ToContact = [.. Online, ExitCodes.NotAContact, ExitCodes.Blocked, ExitCodes.KeyChanged];

    private static readonly Dictionary<string, CommandDoc> Docs = new(StringComparer.Ordinal)
    {
        [""] = new(
            [
                "Parley keeps one profile per user in a home directory (--home, $PARLEY_HOME, else $XDG_DATA_HOME/parley or ~/.local/share/parley). Messages are encrypted on this machine; the server only relays and stores ciphertext.",
                "Options must come before a '--'; everything after '--' is an argument, so 'parley send bob -- --not-an-option' sends the text '--not-an-option'. An unknown option is a usage error.",
                "With --json every command prints one JSON object per line on standard output, and a failure prints one JSON object {\"error\", \"message\", \"exitCode\"} on standard error.",
            ],
            [],
            [
                ("parley register alice --server https://chat.example.org:8443", "Create the account alice and log in."),
                ("parley contacts request bob", "Ask bob to become a contact."),
                ("parley send bob \"see you at eight\"", "Send bob a message."),
                ("parley help send", "Show the manual page of send."),
            ]),
        ["help"] = new(["Prints the same page as 'parley COMMAND --help'."], [], [("parley help file send", "The manual page of 'parley file send'.")]),
        ["register"] = new(
            [
                "Asks for a new password twice (or reads it from standard input with --password-stdin) and refuses a weak one, saying why, before asking for the confirmation. The password never leaves this machine: the server gets an SRP verifier.",
                "The first time you use a server you are asked to compare its certificate fingerprint, or you pass it with --trust-server.",
            ],
            [ExitCodes.ServerUnreachable, ExitCodes.CertificateChanged, ExitCodes.ServerNotTrusted],
            [
                ("parley register alice --server https://chat.example.org:8443", "Register interactively."),
                ("printf '%s\\n' \"$PW\" | parley register alice --server https://localhost:8443 --password-stdin --trust-server SHA256:...", "Register from a script."),
            ]),
        ["login"] = new(
            [
                "Proves the password to the server (SRP; the password is never sent) and unlocks the profile's local store until 'parley logout'. --server can be left out when this home already has a profile for the user: its server is remembered.",
                "On a terminal, a wrong password is asked again, up to three tries.",
                "Parley has one identity (key pair) per account and no linked devices yet. Logging in from a home that has no keys for the account would create a new identity and cut off the home that has them: login refuses unless you confirm on the terminal or pass --replace-identity.",
                "The home whose identity was replaced that way stops connecting (it could not decrypt what arrives) and says so with exit code 12; 'parley login USER --replace-identity' there makes its identity the account's again.",
            ],
            [ExitCodes.ServerUnreachable, ExitCodes.WrongPassword, ExitCodes.CertificateChanged, ExitCodes.ServerNotTrusted, ExitCodes.IdentityReplaced],
            [
                ("parley login alice", "Log in again to the server this profile uses."),
                ("parley login alice --server https://chat.example.org:8443 --replace-identity", "Log in from a new home, replacing the identity (contacts will see a key change)."),
                ("parley login alice --replace-identity", "In the home whose identity was replaced elsewhere: take the account back (contacts will see a key change)."),
            ]),
        ["logout"] = new(["Revokes this session on the server and wipes the unlocked keys from this machine. The local store stays, encrypted."], [ExitCodes.NotLoggedIn], [("parley logout", "Log out the current profile.")]),
        ["whoami"] = new([], [ExitCodes.NotLoggedIn], [("parley whoami --json", "The user, server and certificate fingerprint as JSON.")]),
        ["password"] = new(
            ["Asks for the current password, then the new one (twice). Every other session of the account is revoked; this one stays logged in. The local store's key is re-wrapped under the new password."],
            [ExitCodes.ServerUnreachable, ExitCodes.WrongPassword, ExitCodes.NotLoggedIn],
            [("parley password", "Change the password interactively.")]),
        ["account"] = new([], [], [("parley account delete", "Delete the account.")]),
        ["account delete"] = new(["Asks for the password again. Deletes the account, its queued messages and files on the server, and this profile's local data. This cannot be undone."], [ExitCodes.ServerUnreachable, ExitCodes.WrongPassword, ExitCodes.NotLoggedIn], [("parley account delete", "Delete the current account.")]),
        ["contacts"] = new(["Only contacts can message each other: one side sends a request, the other accepts it.", "The server tells whether a user exists only to 'contacts request' (exit 9), which the user sees; every other command answers a user who does not exist exactly as one who exists but is not your contact."], [], [("parley contacts list", "Your contacts and pending requests.")]),
        ["contacts request"] = new([], [.. Online, ExitCodes.NoSuchUser, ExitCodes.Blocked], [("parley contacts request bob --note \"it's alice from the climbing club\"", "Ask bob, with a note.")]),
        ["contacts accept"] = new([], [.. Online, ExitCodes.NotAContact], [("parley contacts accept alice", "Accept alice's request.")]),
        ["contacts decline"] = new([], [.. Online, ExitCodes.NotAContact], [("parley contacts decline mallory", "Decline mallory's request.")]),
        ["contacts remove"] = new([], [.. Online, ExitCodes.NotAContact], [("parley contacts remove bob", "You and bob can no longer message each other.")]),
        ["contacts list"] = new(["When the server cannot be reached, the contacts saved on this machine are shown with a warning."], [ExitCodes.NotLoggedIn], [("parley contacts list --json", "One JSON object per contact.")]),
        ["block"] = new(["Blocking a user name that does not exist succeeds too: the server does not tell."], [.. Online], [("parley block mallory", "Nothing from mallory reaches you.")]),
        ["unblock"] = new([], [.. Online], [("parley unblock mallory", "Lift the block.")]),
        ["send"] = new(
            [
                "Prints what happened: 'sent to bob' once the server has stored the message, or 'queued: the server is unreachable' (exit status 3) when it was saved to be sent on the next connection. With --json: {\"id\", \"to\", \"status\"}.",
                "The words of TEXT are joined with single spaces. A word that starts with '-' is taken as an option; put the text after '--' to send it as is.",
            ],
            ToContact,
            [
                ("parley send bob \"see you at eight\"", "Send a message."),
                ("parley send bob -- -5 degrees tonight", "Send text that starts with '-'."),
                ("fortune | parley send bob -", "Send standard input."),
            ]),
        ["receive"] = new(["Connects, receives everything queued for you, prints it, and exits (or keeps listening for --wait seconds). Messages are stored in the local history.", "With --json each message is {\"type\": \"message\", \"id\", \"from\" or \"to\", \"direction\", \"text\", \"sentAt\", \"state\"}; a file message adds \"file\": {\"id\", \"name\", \"size\", \"type\"} (fetch it with 'parley file get' and the message id)."], Online, [("parley receive --wait 30 --json", "Receive for 30 seconds as JSON lines.")]),
        ["chat"] = new(
            [
                "A live conversation. The line you type stays at the bottom; incoming messages, receipts and typing notices appear above it. Left/Right/Home/End move the cursor, Up/Down recall earlier lines, Ctrl-D or /quit leaves.",
                "Commands: /history [N] shows the last N messages, /verify shows the safety number, /quit leaves. Commands are not sent and send no typing notice.",
            ],
            ToContact,
            [("parley chat bob", "Chat with bob.")]),
        ["history"] = new(["Shows the conversation from the local store, oldest first. A user who is neither a contact nor known to this profile gets the same error as 'parley send'."], [ExitCodes.NotLoggedIn, ExitCodes.NotAContact], [("parley history bob --limit 20", "The last 20 messages with bob.")]),
        ["file"] = new(["Files are encrypted on this machine with a fresh key; the key travels inside an end-to-end encrypted message, the server stores only ciphertext."], [], [("parley file send bob ./photo.jpg", "Send a file.")]),
        ["file send"] = new(["Uploads in chunks and resumes an interrupted upload of the same file to the same contact when run again."], ToContact, [("parley file send bob ./report.pdf", "Send report.pdf to bob.")]),
        ["file get"] = new(["Downloads, verifies and decrypts the file of a received message, saving it under its sanitized name in --out (never overwriting a file)."], Online, [("parley file get 0b7c... --out ~/Downloads", "Save a received file.")]),
        ["verify"] = new(["Compare the numbers with your contact in person or over a channel you trust; if they match, run again with --confirm."], [ExitCodes.NotLoggedIn, ExitCodes.NotAContact, ExitCodes.KeyChanged], [("parley verify bob", "Show the safety number."), ("parley verify bob --confirm", "Mark bob as verified.")]),
        ["trust"] = new(["Messages that arrived under the new key are held until you trust it; they then appear in the history where they were sent."], [ExitCodes.NotLoggedIn, ExitCodes.NotAContact], [("parley trust bob", "Accept bob's new key.")]),
        ["disconnect"] = new(
            ["Sends the session's last message (it tells the contact's client to forget the session too), then forgets it here. History stays on both sides. The next message, from either side, starts a fresh key agreement on a new prekey bundle. A message the contact sent on the old session before their client saw the end cannot be read and is reported as undecryptable.", "Needs the server: when it cannot be reached, nothing changes."],
            [ExitCodes.NotLoggedIn, ExitCodes.NotAContact, ExitCodes.KeyChanged, ExitCodes.Blocked, ExitCodes.ServerUnreachable],
            [("parley disconnect bob", "End the session with bob."), ("parley disconnect bob --json", "The same, with {\"user\", \"ended\"} as JSON.")]),
        ["shell"] = new(
            ["A menu that stays open: /l lists the contacts online, /c all contacts, /cc USER [NOTE] asks USER to be a contact (or accepts their request), /dc USER ends the secure session, /m USER TEXT sends, /h USER shows the conversation, /r checks for new messages, /q leaves. New messages are printed before each prompt. A failed entry prints why and the shell goes on; it reads standard input, so it can be scripted too."],
            [ExitCodes.NotLoggedIn],
            [("parley shell", "Open the menu."), ("printf '/l\\n/m bob hi\\n/q\\n' | parley shell", "Script it.")]),
        ["status"] = new([], [ExitCodes.NotLoggedIn], [("parley status --json", "The status as JSON.")]),
        ["online"] = new(["Asks the server which of your contacts are connected right now. Only contacts: the server never reports anyone else's presence."], [ExitCodes.NotLoggedIn], [("parley online --json", "The contacts online now, as JSON.")]),
        ["daemon"] = new(
            [
                "Runs in the foreground until Ctrl-C or SIGTERM, logging to standard error. It keeps one connection per logged-in profile of the home (or only --as USER), reconnecting by itself, and stores every message as it arrives.",
                "While it runs, every parley command of the home goes through it (its Unix socket in the runtime directory), with the same output and exit codes. Scripts, bots and the web app use its JSON-RPC API: see docs/API.md. Only one daemon runs per home.",
            ],
            [ExitCodes.Usage],
            [("parley daemon", "Serve every logged-in profile of the home."), ("parley --as bob daemon --port 8765", "Serve only bob, with the web app on port 8765.")]),
        ["ui"] = new(
            [
                "Opens the Parley web app in your browser. If no daemon runs for this home, one is started in the background (its log in HOME/daemon.log); closing the tab does not stop it.",
                "The address is printed first, as http://127.0.0.1:PORT/#token=SECRET: the secret is in the fragment, which browsers never send to a server, and it is the key to your daemon, so do not share the address.",
            ],
            [ExitCodes.Usage],
            [("parley ui", "Open the web app (starting the daemon if needed)."), ("parley ui --no-open", "Only print the address, for another browser or a script.")]),
        ["call"] = new(
            [
                "Calls happen in the web app, which does the audio and video; the call's signalling travels end-to-end encrypted through the ratchet, and media goes through the server's TURN relay only, so your contact never learns your IP address.",
                "Prints the web app's call page for that contact (starting the daemon if none runs) and opens your browser, which places the call. Incoming calls, missed calls and call ends appear in 'parley receive', 'parley chat' and the API's events.",
            ],
            [ExitCodes.Usage],
            [("parley call bob --video", "Open a video call to bob."), ("parley call bob --no-open", "Only print the voice call page's address.")]),
        ["call decline"] = new(["Declines the call ringing in the daemon (needs a running daemon: calls live there)."], [], [("parley call decline", "Decline the incoming call.")]),
        ["call hangup"] = new(["Ends the daemon's call in progress, or cancels the one you are placing."], [], [("parley call hangup", "Hang up.")]),
    };

    /// <summary>The page text for a command path; commands without an entry get an empty one.</summary>
    public static CommandDoc For(string path) => Docs.TryGetValue(path, out var doc) ? doc : new CommandDoc([], [], []);

    /// <summary>The paths that have manual text (for tests: every command has one).</summary>
    public static IEnumerable<string> Paths => Docs.Keys;
}
