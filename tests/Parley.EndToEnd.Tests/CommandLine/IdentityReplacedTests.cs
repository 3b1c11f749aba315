using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.CommandLine;

/// <summary>A home whose account identity was replaced from another home is told so plainly, and takes nothing meant for the other.</summary>
public sealed class IdentityReplacedTests
{
    private const int IdentityReplaced = 12;

    [Fact]
    public async Task The_replaced_home_refuses_to_connect_with_one_sentence_until_it_takes_the_identity_back()
    {
        await using var world = await World.StartAsync();
        var home = world.NewUser("alice");
        await home.RegisterAsync();
        await home.OkAsync("receive");

        var elsewhere = world.NewUser("alice");
        var login = await elsewhere.Cli.RunAsync(home.Password + "\n", "login", "alice", "--server", world.Server.Url, "--password-stdin", "--trust-server", world.Server.Fingerprint, "--replace-identity");
        Assert.True(login.ExitCode == 0, login.ToString());

        // The old home neither connects (it would take and acknowledge what only the new home can
        // decrypt) nor sends; every such command says what happened and what to do.
        foreach (var args in new[] { new[] { "receive" }, ["status"] })
        {
            var refused = await home.RunAsync(args);
            Assert.True(refused.ExitCode == IdentityReplaced, refused.ToString());
            Assert.Contains("identity was replaced by a login from another home", refused.Stderr, StringComparison.Ordinal);
            Assert.Contains("--replace-identity", refused.Stderr, StringComparison.Ordinal);
        }

        var json = await home.RunAsync("receive", "--json");
        using (var error = System.Text.Json.JsonDocument.Parse(json.Stderr))
        {
            Assert.Equal("identity-replaced", error.RootElement.GetProperty("error").GetString());
        }

        await elsewhere.OkAsync("receive");

        // A plain login again in the old home is refused the same way; with --replace-identity it
        // takes the account back, and the other home is the one told.
        var plain = await home.Cli.RunAsync(home.Password + "\n", "login", "alice", "--password-stdin");
        Assert.True(plain.ExitCode == IdentityReplaced, plain.ToString());
        var back = await home.Cli.RunAsync(home.Password + "\n", "login", "alice", "--password-stdin", "--replace-identity");
        Assert.True(back.ExitCode == 0, back.ToString());
        await home.OkAsync("receive");
        Assert.Equal(IdentityReplaced, (await elsewhere.RunAsync("receive")).ExitCode);
    }
}
