using Parley.Client;
using Parley.Client.Profiles;
using Parley.Client.Transport;
using Parley.Daemon.Api;

namespace Parley.Daemon.Profiles;

/// <summary>
/// The <c>server.probe</c> method: connects once to a server to learn its certificate's fingerprint
/// (nothing is sent, nothing trusted), so a first-run page can show it for trust on first use before
/// any password is typed, and compares it with the fingerprint pinned for that user, if any.
/// </summary>
internal static class ServerProbe
{
    /// <summary>The longest server address accepted, checked before parsing.</summary>
    public const int MaxServerLength = 2048;

    public static async Task<ProbeResult> ProbeAsync(ParleyHome home, ClientOptions options, ProbeParams p, CancellationToken ct)
    {
        if (p.Server.Length > MaxServerLength || !Uri.TryCreate(p.Server, UriKind.Absolute, out var server)
            || server.Scheme != Uri.UriSchemeHttps || server.Host.Length == 0)
        {
            throw ApiException.InvalidParams("The server address must start with https://.");
        }

        ServerFingerprint? pinned = null;
        if (p.User is not null)
        {
            if (!UserName.TryParse(p.User, out var user))
            {
                throw ApiException.InvalidParams("That is not a valid user name.");
            }

            var profile = home.GetProfile(user);
            if (profile.Exists)
            {
                var settings = profile.ReadSettings();
                if (SameServer(settings.Server, server) && ServerFingerprint.TryParse(settings.ServerFingerprint, out var pin))
                {
                    pinned = pin;
                }
            }
        }

        var seen = await ParleyClient.ProbeServerAsync(server, options, ct).ConfigureAwait(false);
        return new ProbeResult
        {
            Server = server.ToString(),
            Fingerprint = seen.ToString(),
            Pinned = pinned?.ToString(),
            Changed = pinned is { } known && known != seen,
        };
    }

    private static bool SameServer(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
