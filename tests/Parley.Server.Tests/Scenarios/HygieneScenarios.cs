using System.Net.Http.Json;
using System.Net.WebSockets;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Wire.Rest;
using static Parley.Server.Tests.Infrastructure.AuthFlows;

namespace Parley.Server.Tests.Scenarios;

/// <summary>
/// What must never happen: a revoked token opening the WebSocket, and usernames, tokens, SRP values
/// or keys reaching the logs (at any level, including debug).
/// </summary>
public abstract class HygieneScenarios : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly CapturingLoggerProvider logs = new();
    private readonly ParleyServerFactory factory;

    protected HygieneScenarios(DatabaseKind kind, string? connectionString) =>
        factory = new ParleyServerFactory(kind, connectionString, new Dictionary<string, string?>
        {
            // An operator turning every log up to Trace.
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        }, services => services.AddSingleton<ILoggerProvider>(logs));

    [Fact]
    public async Task The_websocket_upgrade_needs_a_live_token()
    {
        var name = NewUsername("ws");
        using var client = factory.CreateClient();
        (await RegisterAsync(client, name, Password)).Dispose();
        var token = await LoginAsync(client, name, Password);

        using (var socket = await ConnectAsync(token))
        {
            Assert.Equal(WebSocketState.Open, socket.State); // the control: a live token connects
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/auth/logout");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        (await client.SendAsync(request).WaitAsync(RequestTimeout)).Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(token));
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(null));
    }

    [Fact]
    public async Task Logs_carry_no_usernames_tokens_or_srp_values()
    {
        var name = NewUsername("secretive");
        using var client = factory.CreateClient();
        (await RegisterAsync(client, name, Password)).Dispose();
        var (wrong, wrongSession) = await LoginRawAsync(client, name, "bad password");
        wrong.Dispose();
        wrongSession.Dispose();
        var (response, session) = await LoginRawAsync(client, name, Password);
        var body = (await response.Content.ReadFromJsonAsync<LoginFinishResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;
        var peer = NewUsername("peer");
        var secrets = new[] { name, peer, body.Token, body.M2, Convert.ToBase64String(session.PublicA), Password };
        response.Dispose();
        session.Dispose();
        using var authed = factory.CreateClient();
        authed.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", body.Token);
        (await authed.GetAsync(new Uri("/v1/keys/" + peer, UriKind.Relative)).WaitAsync(RequestTimeout)).Dispose();

        Assert.NotEmpty(logs.Lines);
        foreach (var line in logs.Lines)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    private async Task<WebSocket> ConnectAsync(string? token)
    {
        var ws = factory.Server.CreateWebSocketClient();
        ws.ConfigureRequest = r =>
        {
            if (token is not null)
            {
                r.Headers.Authorization = "Bearer " + token;
            }
        };
        return await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "v1/ws"), CancellationToken.None).WaitAsync(RequestTimeout);
    }

    public void Dispose()
    {
        factory.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class HygieneScenariosSqlite() : HygieneScenarios(DatabaseKind.Sqlite, null);

public sealed class HygieneScenariosPostgres(PostgresDatabaseFixture fixture)
    : HygieneScenarios(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
