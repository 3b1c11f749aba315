using System.Globalization;
using Parley.Client.Errors;

namespace Parley.Cli.Output;

/// <summary>
/// The one place where typed client errors become what users read: one clear sentence each, and a
/// distinct exit code so scripts can tell failures apart without parsing text.
/// </summary>
internal static class ErrorSentences
{
    /// <summary>The exit code for failures without a specific code.</summary>
    public const int GeneralFailure = ExitCodes.Failure;

    /// <summary>The sentence for <paramref name="kind"/>.</summary>
    /// <param name="kind">The error.</param>
    /// <returns>One sentence, ending with a full stop.</returns>
    public static string For(ClientErrorKind kind) => kind switch
    {
        ClientErrorKind.ServerUnreachable => "The server cannot be reached; check the address and that the server is running.",
        ClientErrorKind.ServerUnreachableMessageQueued => "The server cannot be reached; the message is saved and will be sent the next time parley connects (for example with 'parley receive').",
        ClientErrorKind.WrongPassword => "The user name or password is wrong.",
        ClientErrorKind.NotAContact => "That user is not one of your contacts; send a request with 'parley contacts request USER' first.",
        ClientErrorKind.Blocked => "Messages to that user are blocked.",
        ClientErrorKind.KeyChanged => "That contact's identity key has changed; compare safety numbers with 'parley verify USER', then accept the new key with 'parley trust USER'.",
        ClientErrorKind.NotLoggedIn => "You are not logged in; run 'parley login USER --server URL' first.",
        ClientErrorKind.UserDoesNotExist => "That user does not exist on the server.",
        ClientErrorKind.CertificateChanged => "The server's certificate does not match the one you trusted, so the connection was refused (someone may be intercepting it).",
        ClientErrorKind.CertificateNotTrusted => "The server's certificate is not trusted yet; check the fingerprint the server prints and pass it with --trust-server SHA256:HEX.",
        ClientErrorKind.UserExists => "That user name is already taken.",
        ClientErrorKind.WeakPassword => "The password is too weak.",
        ClientErrorKind.Refused => "The server refused the request; try again later.",
        ClientErrorKind.ProtocolViolation => "The server sent an answer that does not make sense, so the operation was stopped.",
        ClientErrorKind.StoreCorrupt => "The local store is damaged or was modified, so it was not used.",
        ClientErrorKind.ProfileExists => "A profile for that user already exists in this home; use 'parley login' instead.",
        ClientErrorKind.ProfileOnOtherServer => "This profile was created on another server; log in with that server's address, or use another --home.",
        ClientErrorKind.InvalidInput => "The input is not valid.",
        ClientErrorKind.CallsNotConfigured => "Calls are not available on this server (it has no TURN relay configured).",
        ClientErrorKind.CallBusy => "You are already in a call; hang up first.",
        ClientErrorKind.NoPendingRequest => "There is no pending contact request from that user (it may have been cancelled).",
        ClientErrorKind.NoSuchCall => "There is no such call in progress (it may have ended).",
        ClientErrorKind.IdentityReplaced => "Your account's identity was replaced by a login from another home, so this home's keys no longer receive your messages: they go to that home, and this one does not connect (it could not decrypt them). Use the other home, or make this one the account's again with 'parley login USER --replace-identity' (your contacts will see a key change).",
        _ => "The operation failed.",
    };

    /// <summary>
    /// The sentence for <paramref name="error"/>: when the server said how long to wait (a rate limit
    /// or a lockout, with <c>Retry-After</c>), the sentence says so instead of "try again later".
    /// </summary>
    /// <param name="error">The error.</param>
    /// <returns>One sentence, ending with a full stop.</returns>
    public static string For(ParleyClientException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.RetryAfter is not { } wait)
        {
            return For(error.Kind);
        }

        return error.Kind == ClientErrorKind.Refused
            ? "The server refused the request for now (too many attempts); try again in " + Duration(wait) + "."
            : For(error.Kind).TrimEnd('.') + "; try again in " + Duration(wait) + ".";
    }

    /// <summary>A wait for people: whole seconds up to two minutes, whole minutes above (rounded up).</summary>
    /// <param name="wait">The wait.</param>
    public static string Duration(TimeSpan wait)
    {
        var seconds = (long)Math.Ceiling(Math.Max(wait.TotalSeconds, 1));
        if (seconds < 120)
        {
            return seconds == 1 ? "1 second" : string.Create(CultureInfo.InvariantCulture, $"{seconds} seconds");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(seconds + 59) / 60} minutes");
    }

    /// <summary>The exit code for <paramref name="kind"/> (documented in <c>parley --help</c>; shared with the API's <c>error.data.exitCode</c>).</summary>
    /// <param name="kind">The error.</param>
    /// <returns>A code from 1 to 11 (see <see cref="ExitCodes"/>).</returns>
    public static int ExitCode(ClientErrorKind kind) => Parley.Daemon.Api.ErrorExitCodes.For(kind);

    /// <summary>The error's name in JSON error objects: the kind in kebab case (<c>not-a-contact</c>).</summary>
    /// <param name="kind">The error.</param>
    /// <returns>A stable lower-case name.</returns>
    public static string Name(ClientErrorKind kind) => Kebab(kind.ToString());

    /// <summary>Turns <c>PascalCase</c> into <c>kebab-case</c>.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The kebab-case name.</returns>
    public static string Kebab(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
