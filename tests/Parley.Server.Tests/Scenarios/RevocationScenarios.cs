using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Parley.Crypto.Auth;
using Parley.Server.Authentication;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Wire.Rest;
using static Parley.Server.Tests.Infrastructure.AuthFlows;

namespace Parley.Server.Tests.Scenarios;

/// <summary>Logout, password change and deletion tell <see cref="ISessionRevocationListener"/>s which sessions went.</summary>
public sealed class RevocationScenarios : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly Recorder recorder = new();
    private readonly ParleyServerFactory factory;

    public RevocationScenarios() =>
        factory = new ParleyServerFactory(DatabaseKind.Sqlite, null, null,
            services => services.AddSingleton<ISessionRevocationListener>(recorder));

    [Fact]
    public async Task Listeners_hear_of_logout_password_change_and_deletion()
    {
        var name = NewUsername("rita");
        using var client = await SignedUpClientAsync(factory.CreateClient, name, Password);
        (await client.PostAsync(new Uri("/v1/auth/logout", UriKind.Relative), null).WaitAsync(RequestTimeout)).Dispose();
        var logout = Assert.Single(recorder.Seen);
        Assert.NotNull(logout.TokenHash);

        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await LoginAsync(client, name, Password));
        var (start, session, m1) = await ProveAsync(client, name, Password);
        using (session)
        {
            var fresh = SrpRegistration.Create(name, "another password", TestArgon2);
            using var changed = await client.PostAsJsonAsync("/v1/account/password", new PasswordChangeRequest(start.LoginId,
                Convert.ToBase64String(session.PublicA), Convert.ToBase64String(m1), Convert.ToBase64String(fresh.SrpSalt),
                Convert.ToBase64String(fresh.Verifier), Convert.ToBase64String(fresh.ArgonSalt), ToDto(fresh.Argon2)), RestJson.Options).WaitAsync(RequestTimeout);
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            var body = (await changed.Content.ReadFromJsonAsync<LoginFinishResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", body.Token);
        }
        Assert.Equal(2, recorder.Seen.Count);
        Assert.Null(recorder.Seen.Last().TokenHash);
        Assert.Equal(logout.AccountId, recorder.Seen.Last().AccountId);

        var (deleteStart, deleteSession, deleteM1) = await ProveAsync(client, name, "another password");
        using (deleteSession)
        {
            using var deleted = await client.PostAsJsonAsync("/v1/account/delete", new AccountDeleteRequest(deleteStart.LoginId,
                Convert.ToBase64String(deleteSession.PublicA), Convert.ToBase64String(deleteM1)), RestJson.Options).WaitAsync(RequestTimeout);
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }
        Assert.Equal(3, recorder.Seen.Count);
        Assert.Null(recorder.Seen.Last().TokenHash);
    }

    public void Dispose() => factory.Dispose();

    private sealed class Recorder : ISessionRevocationListener
    {
        private readonly ConcurrentQueue<SessionRevocation> seen = new();

        public ConcurrentQueue<SessionRevocation> Seen => seen;

        public Task OnSessionsRevokedAsync(SessionRevocation revocation, CancellationToken cancellationToken)
        {
            seen.Enqueue(revocation);
            return Task.CompletedTask;
        }
    }
}
