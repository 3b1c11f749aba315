using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Authentication;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Wire;
using Parley.Wire.Rest;

namespace Parley.Server.Tests.Relay.Support;

/// <summary>
/// The real server in process (SQLite or PostgreSQL) plus helpers to create users with real session
/// tokens, make them contacts through the real REST API and connect their sockets.
/// </summary>
public sealed class RelayHost : IAsyncDisposable
{
    private readonly ParleyServerFactory _factory;
    private readonly WebApplicationFactory<Program> _app;
    private int _users;

    public RelayHost(DatabaseKind kind, string? connectionString, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        _factory = new ParleyServerFactory(kind, connectionString, settings);
        _app = time is null ? _factory : _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(time)));
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>Creates an account row and a session; returns the user (username unique per host).</summary>
    public async Task<TestUser> CreateUserAsync(string name)
    {
        var username = $"{name}{Interlocked.Increment(ref _users)}_{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";
        return await SeededAccounts.CreateAsync(Services.GetRequiredService<IDatabase>(), username, TimeSpan.FromDays(3650));
    }

    public HttpClient Http(TestUser user)
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        return client;
    }

    public async Task<HttpResponseMessage> PostAsync(TestUser user, string path, object? body = null)
    {
        using var http = Http(user);
        return await (body is null
            ? http.PostAsync(new Uri(path, UriKind.Relative), null)
            : http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body)).WaitAsync(RelayTestClient.Timeout);
    }

    /// <summary>Makes two users contacts through the REST API (request, then accept).</summary>
    public async Task MakeContactsAsync(TestUser a, TestUser b)
    {
        using var request = await PostAsync(a, "/v1/contacts/requests", new ContactRequestBody { Username = b.Username, Note = "hi" });
        request.EnsureSuccessStatusCode();
        using var accept = await PostAsync(b, $"/v1/contacts/{a.Username}/accept");
        accept.EnsureSuccessStatusCode();
    }

    /// <summary>Creates alice and bob and makes them contacts: the set-up most relay scenarios start from.</summary>
    public async Task<(TestUser Alice, TestUser Bob)> CreateContactsAsync()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        await MakeContactsAsync(alice, bob);
        return (alice, bob);
    }

    /// <summary>Opens the user's socket (optionally with an Origin header).</summary>
    public async Task<RelayTestClient> ConnectAsync(TestUser user, string? origin = null)
    {
        var client = _app.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            request.Headers.Authorization = "Bearer " + user.Token;
            if (origin is not null)
            {
                request.Headers.Origin = origin;
            }
        };
        var socket = await client.ConnectAsync(new Uri(_app.Server.BaseAddress, "v1/ws"), CancellationToken.None).WaitAsync(RelayTestClient.Timeout);
        return new RelayTestClient(socket, user.Username);
    }

    /// <summary>Connects and waits for the end of the stored queue; returns the client and the drained frames.</summary>
    public async Task<(RelayTestClient Client, List<ServerFrame> Queued)> ConnectAndDrainAsync(TestUser user)
    {
        var client = await ConnectAsync(user);
        await client.NextAsync(ServerFrame.KindOneofCase.QueueEmpty);
        var queued = client.Skipped.ToList();
        client.Skipped.Clear();
        return (client, queued);
    }

    /// <summary>Connects, acknowledges everything queued (contact events included) and disconnects.</summary>
    public async Task ClearQueueAsync(TestUser user)
    {
        var (client, queued) = await ConnectAndDrainAsync(user);
        await using var _ = client;
        foreach (var frame in queued)
        {
            if (frame.KindCase == ServerFrame.KindOneofCase.Deliver)
            {
                await client.AckAsync(frame.Deliver.MessageId);
            }
            else if (frame.KindCase == ServerFrame.KindOneofCase.ContactEvent)
            {
                await client.AckAsync(frame.ContactEvent.MessageId);
            }
        }

        await client.SyncAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!ReferenceEquals(_app, _factory))
        {
            await _app.DisposeAsync();
        }

        await _factory.DisposeAsync();
    }
}

public sealed record TestUser(long Id, string Username, string Token);
