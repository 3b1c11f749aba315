using Microsoft.Extensions.Logging;
using Parley.Client;
using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Daemon.Api;
using Parley.Daemon.Profiles;

namespace Parley.Daemon.Hosting;

/// <summary>
/// The profiles a daemon serves, each with its live link; and the event hub that fans their events
/// out to subscribed connections. Serves every logged-in profile of the home, or only one
/// (<c>--as</c>).
/// </summary>
internal sealed class ProfileRegistry : IAsyncDisposable
{
    private readonly Dictionary<string, ProfileLink> _links = new(StringComparer.Ordinal);
    private readonly List<(string? Profile, Action<EventView> Listener)> _subscribers = [];
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly ILoggerFactory _loggers;

    public ProfileRegistry(ParleyHome home, ClientOptions options, string? only, ILoggerFactory loggers)
    {
        Home = home;
        Options = options;
        Only = only is null ? null : UserName.Parse(only).Value;
        _loggers = loggers;
    }

    public ParleyHome Home { get; }

    public ClientOptions Options { get; }

    /// <summary>The one profile served, or null for all.</summary>
    public string? Only { get; }

    public IReadOnlyList<string> Profiles
    {
        get
        {
            lock (_links)
            {
                return _links.Keys.Order(StringComparer.Ordinal).ToList();
            }
        }
    }

    /// <summary>Opens every logged-in profile (or the one named) and starts its link.</summary>
    public void StartAll()
    {
        foreach (var user in Home.ListProfiles())
        {
            if (Only is not null && user.Value != Only)
            {
                continue;
            }

            try
            {
                Add(ParleyClient.Resume(Home, user.Value, Options));
            }
            catch (ParleyClientException e) when (e.Kind == ClientErrorKind.NotLoggedIn)
            {
                // Logged out: served again after the next login through this daemon.
            }
        }
    }

    /// <summary>The link of <paramref name="profile"/> (null: the home's current profile).</summary>
    public ProfileLink Resolve(string? profile)
    {
        var name = profile is null ? Home.GetCurrentProfile()?.User.Value : UserName.Parse(profile).Value;
        lock (_links)
        {
            if (name is not null && _links.TryGetValue(name, out var link))
            {
                return link;
            }
        }

        throw new ParleyClientException(ClientErrorKind.NotLoggedIn);
    }

    /// <summary>Checks that this daemon may serve <paramref name="user"/>.</summary>
    public void CheckServed(string user)
    {
        if (Only is not null && UserName.Parse(user).Value != Only)
        {
            throw ApiException.InvalidParams("This daemon serves only the profile it was started with (--as).");
        }
    }

    /// <summary>Starts serving a client (after login or register), replacing a running link of the same profile.</summary>
    public void Add(ParleyClient client)
    {
        var link = new ProfileLink(client, _loggers.CreateLogger("Parley.Daemon.Link"));
        link.Listen(Fan);
        ProfileLink? old;
        lock (_links)
        {
            _links.TryGetValue(link.Profile, out old);
            _links[link.Profile] = link;
        }

        if (old is not null)
        {
            _ = old.DisposeAsync().AsTask();
        }

        link.Start();
    }

    /// <summary>Stops serving the profile of <paramref name="link"/> and returns the link (stopped, client still open).</summary>
    public async Task<ProfileLink> RemoveAsync(ProfileLink link)
    {
        lock (_links)
        {
            if (_links.TryGetValue(link.Profile, out var current) && ReferenceEquals(current, link))
            {
                _links.Remove(link.Profile);
            }
        }

        await link.StopAsync().ConfigureAwait(false);
        return link;
    }

    /// <summary>Serialises logins, logouts and registrations (one profile change at a time).</summary>
    public async Task<T> ChangeAsync<T>(Func<Task<T>> change, CancellationToken ct)
    {
        await _changes.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await change().ConfigureAwait(false);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Calls <paramref name="listener"/> for events of <paramref name="profile"/> (null: every profile).</summary>
    public IDisposable Subscribe(string? profile, Action<EventView> listener)
    {
        var entry = (profile, listener);
        lock (_subscribers)
        {
            _subscribers.Add(entry);
        }

        return new Unsubscriber(this, entry);
    }

    /// <summary>Tells <paramref name="listener"/> the connection state of <paramref name="profile"/> (null: of every profile served).</summary>
    public void SendStates(string? profile, Action<EventView> listener)
    {
        List<ProfileLink> links;
        lock (_links)
        {
            links = [.. _links.Values.Where(l => profile is null || l.Profile == profile).OrderBy(l => l.Profile, StringComparer.Ordinal)];
        }

        foreach (var link in links)
        {
            link.SendState(listener);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<ProfileLink> links;
        lock (_links)
        {
            links = [.. _links.Values];
            _links.Clear();
        }

        await Task.WhenAll(links.Select(l => l.DisposeAsync().AsTask())).ConfigureAwait(false);
        _changes.Dispose();
    }

    private void Fan(EventView e)
    {
        (string? Profile, Action<EventView> Listener)[] subscribers;
        lock (_subscribers)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var (profile, listener) in subscribers)
        {
            if (profile is null || profile == e.Profile)
            {
                listener(e);
            }
        }
    }

    private sealed class Unsubscriber(ProfileRegistry registry, (string?, Action<EventView>) entry) : IDisposable
    {
        public void Dispose()
        {
            lock (registry._subscribers)
            {
                registry._subscribers.Remove(entry);
            }
        }
    }
}
