using Parley.Client.Errors;

namespace Parley.Daemon.Api;

/// <summary>
/// The exit code of <c>parley</c> for each client error, in one place: the CLI exits with it and
/// the API reports it in <c>error.data.exitCode</c>, so scripts see the same number either way.
/// </summary>
public static class ErrorExitCodes
{
    /// <summary>The exit code for failures without a specific code.</summary>
    public const int GeneralFailure = 1;

    /// <summary>The exit code for <paramref name="kind"/> (documented in <c>parley --help</c>).</summary>
    /// <param name="kind">The error.</param>
    /// <returns>A code from 1 to 12.</returns>
    public static int For(ClientErrorKind kind) => kind switch
    {
        ClientErrorKind.ServerUnreachable or ClientErrorKind.ServerUnreachableMessageQueued => 3,
        ClientErrorKind.WrongPassword => 4,
        ClientErrorKind.NotAContact or ClientErrorKind.NoPendingRequest => 5,
        ClientErrorKind.Blocked => 6,
        ClientErrorKind.KeyChanged => 7,
        ClientErrorKind.NotLoggedIn => 8,
        ClientErrorKind.UserDoesNotExist => 9,
        ClientErrorKind.CertificateChanged => 10,
        ClientErrorKind.CertificateNotTrusted => 11,
        ClientErrorKind.IdentityReplaced => 12,
        _ => GeneralFailure,
    };
}
