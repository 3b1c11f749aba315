namespace Parley.Cli.Output;

/// <summary>
/// The exit codes <c>parley</c> documents (in <c>parley --help</c> and every command's manual page),
/// so scripts can tell failures apart without parsing text.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int ServerUnreachable = 3;
    public const int WrongPassword = 4;
    public const int NotAContact = 5;
    public const int Blocked = 6;
    public const int KeyChanged = 7;
    public const int NotLoggedIn = 8;
    public const int NoSuchUser = 9;
    public const int CertificateChanged = 10;
    public const int ServerNotTrusted = 11;
    public const int IdentityReplaced = 12;
    public const int Interrupted = 130;

    /// <summary>Every code with its meaning, in order.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> All { get; } =
    [
        (Success, "success"),
        (Failure, "failure (the message says what failed)"),
        (Usage, "usage error: unknown command or option, missing or invalid argument"),
        (ServerUnreachable, "the server cannot be reached (an outgoing message is queued and sent later)"),
        (WrongPassword, "wrong user name or password"),
        (NotAContact, "the user is not one of your contacts, or has no pending request to accept or decline"),
        (Blocked, "the user is blocked"),
        (KeyChanged, "the contact's identity key changed; verify and trust it first"),
        (NotLoggedIn, "not logged in"),
        (NoSuchUser, "no such user on the server (only 'contacts request' tells)"),
        (CertificateChanged, "the server's certificate changed since you trusted it"),
        (ServerNotTrusted, "the server is not trusted yet (pass --trust-server)"),
        (IdentityReplaced, "the account's identity was replaced from another home; this home no longer receives"),
        (Interrupted, "interrupted (Ctrl-C)"),
    ];

    /// <summary>The one-line summary used in <c>parley --help</c>.</summary>
    public static string Summary => string.Join(", ", All.Select(e => $"{e.Code} {ShortMeaning(e.Meaning)}"));

    private static string ShortMeaning(string meaning)
    {
        var cut = meaning.IndexOfAny([':', '(', ';']);
        return (cut > 0 ? meaning[..cut] : meaning).Trim();
    }
}
