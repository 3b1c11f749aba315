using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Client.Relay;

namespace Parley.Client.Presence;

/// <summary>
/// Who is online (contacts only: the server answers for nobody else) and the profile's status.
/// Presence itself is online-only: pushed changes arrive as <see cref="ClientEventKind.Presence"/> events.
/// </summary>
public sealed class PresenceService
{
    private readonly ProfileContext _context;
    private readonly RelayLink _link;

    internal PresenceService(ProfileContext context, RelayLink link)
    {
        _context = context;
        _link = link;
    }

    /// <summary>The contacts connected right now, sorted by name.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>Their user names.</returns>
    /// <exception cref="ParleyClientException"><see cref="ClientErrorKind.ServerUnreachable"/> when the relay cannot be reached.</exception>
    public async Task<IReadOnlyList<string>> OnlineContactsAsync(CancellationToken cancellationToken)
    {
        await _link.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var answers = await _link.QueryPresenceAsync([], cancellationToken).ConfigureAwait(false);
        return answers.Where(p => p.Online && UserName.TryParse(p.Username, out _))
            .Select(p => UserName.Parse(p.Username).Value)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Checks the connection and asks which contacts are online.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The status.</returns>
    public async Task<ClientStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var pending = await _context.Locked(() => _context.Store.CountOutbox(), cancellationToken).ConfigureAwait(false);
        try
        {
            var online = await OnlineContactsAsync(cancellationToken).ConfigureAwait(false);
            return new ClientStatus(true, pending, online);
        }
        catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachable)
        {
            // A presence answer that did not come in time (a busy server or machine) does not make a
            // connected link disconnected: "connected" is the link's state, as its events report it.
            return new ClientStatus(_link.State == RelayLinkState.Connected, pending, []);
        }
    }
}
