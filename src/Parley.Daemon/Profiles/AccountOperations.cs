using Parley.Client;
using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Client.Transport;
using Parley.Daemon.Api;

namespace Parley.Daemon.Profiles;

/// <summary>Registration and login, shared by the command's own process and the daemon.</summary>
internal static class AccountOperations
{
    /// <summary>The longest password accepted (the CLI's limit too), so the key derivation's input stays bounded.</summary>
    public const int MaxPasswordLength = 1024;

    /// <summary>Registers or logs in; the caller owns (and disposes or keeps) the returned client.</summary>
    public static async Task<ParleyClient> OpenAsync(ParleyHome home, ClientOptions options, AccountParams p, bool register, CancellationToken ct)
    {
        var user = UserName.Parse(p.User);
        if (!Uri.TryCreate(p.Server, UriKind.Absolute, out var server) || server.Scheme != Uri.UriSchemeHttps || server.Host.Length == 0)
        {
            throw ApiException.InvalidParams("The server address must start with https://.");
        }

        ServerFingerprint? expected = null;
        if (p.TrustServer is { } text)
        {
            if (!ServerFingerprint.TryParse(text, out var parsed))
            {
                throw ApiException.InvalidParams("The --trust-server value must look like SHA256:HEX.");
            }

            expected = parsed;
        }

        if (p.Password.Length == 0)
        {
            throw new ParleyClientException(ClientErrorKind.WrongPassword);
        }

        var trust = new ServerTrustPolicy(expected, null);
        return register
            ? await ParleyClient.RegisterAsync(home, user, server, p.Password, trust, options, ct).ConfigureAwait(false)
            : await ParleyClient.LoginAsync(home, user, server, p.Password, trust, options, p.ReplaceIdentity, ct).ConfigureAwait(false);
    }

    /// <summary>Changes the password of <paramref name="client"/>'s account (other sessions are logged out, this one stays).</summary>
    public static Task ChangePasswordAsync(ParleyClient client, AccountPasswordParams p, CancellationToken ct)
    {
        if (p.Password.Length == 0)
        {
            throw new ParleyClientException(ClientErrorKind.WrongPassword);
        }

        if (p.NewPassword.Length is 0 or > MaxPasswordLength)
        {
            throw ApiException.InvalidParams($"The new password must have 1 to {MaxPasswordLength} characters.");
        }

        return client.Accounts.ChangePasswordAsync(p.Password, p.NewPassword, ct);
    }

    public static AccountResult LoggedIn(ParleyClient client) => new()
    {
        User = client.User.Value, Server = client.Server.ToString(), Fingerprint = client.ServerFingerprint.ToString(), LoggedIn = true,
    };
}
