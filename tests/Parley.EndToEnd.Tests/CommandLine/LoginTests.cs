using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.CommandLine;

/// <summary>Logging in again, from another home, and changing the password.</summary>
public sealed class LoginTests
{
    [Fact]
    public async Task Login_remembers_the_server_and_a_second_home_must_ask_to_replace_the_identity()
    {
        await using var world = await World.StartAsync();
        var alice = world.NewUser("alice");
        await alice.RegisterAsync();
        await alice.OkAsync("logout");

        var again = await alice.Cli.RunAsync(alice.Password + "\n", "login", "alice", "--password-stdin");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains(world.Server.Url, again.Stdout, StringComparison.Ordinal);

        var elsewhere = world.NewUser("alice");
        var refused = await elsewhere.Cli.RunAsync(alice.Password + "\n", "login", "alice", "--server", world.Server.Url, "--password-stdin", "--trust-server", world.Server.Fingerprint);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("This home has no keys for alice", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("--replace-identity", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(8, (await elsewhere.RunAsync("whoami")).ExitCode);

        var noServer = await elsewhere.Cli.RunAsync(alice.Password + "\n", "login", "alice", "--password-stdin");
        Assert.Equal(2, noServer.ExitCode);
        Assert.Contains("--server", noServer.Stderr, StringComparison.Ordinal);

        var replaced = await elsewhere.Cli.RunAsync(alice.Password + "\n", "login", "alice", "--server", world.Server.Url, "--password-stdin", "--trust-server", world.Server.Fingerprint, "--replace-identity");
        Assert.True(replaced.ExitCode == 0, replaced.ToString());
    }

    [Fact]
    public async Task Password_change_keeps_this_session_logs_out_the_others_and_the_old_password_stops_working()
    {
        await using var world = await World.StartAsync();
        var other = world.NewUser("alice");
        var alice = world.NewUser("alice");
        await other.RegisterAsync();
        await other.OkAsync("receive");

        // The second session is a login from another home (which takes the identity over): the
        // password is changed there, and the first home's session must end.
        var second = await alice.Cli.RunAsync(other.Password + "\n", "login", "alice", "--server", world.Server.Url, "--password-stdin", "--trust-server", world.Server.Fingerprint, "--replace-identity");
        Assert.True(second.ExitCode == 0, second.ToString());
        await alice.OkAsync("receive");

        const string newPassword = "lantern-quarry-obelisk-91-marmalade";
        var weak = await alice.RunWithInputAsync(other.Password + "\npassword1\n", "password", "--password-stdin");
        Assert.Equal(1, weak.ExitCode);
        Assert.Contains("too weak", weak.Stderr, StringComparison.Ordinal);
        var wrong = await alice.RunWithInputAsync("not-the-password-at-all\n" + newPassword + "\n", "password", "--password-stdin");
        Assert.Equal(4, wrong.ExitCode);

        var changed = await alice.RunWithInputAsync(other.Password + "\n" + newPassword + "\n", "password", "--password-stdin", "--json");
        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.True(Assert.Single(changed.JsonLines).GetProperty("passwordChanged").GetBoolean());

        await alice.OkAsync("receive");
        Assert.Equal(8, (await other.RunAsync("receive")).ExitCode);

        await alice.OkAsync("logout");
        Assert.Equal(4, (await alice.LoginAsync(other.Password)).ExitCode);
        var login = await alice.LoginAsync(newPassword);
        Assert.True(login.ExitCode == 0, login.ToString());
    }

    [Fact]
    public async Task A_locked_out_login_says_how_long_to_wait()
    {
        await using var world = await World.StartAsync("--Accounts:LoginFailuresBeforePow", "2", "--Accounts:LoginFailuresBeforeLockout", "2");
        var alice = world.NewUser("alice");
        await alice.RegisterAsync();

        var stranger = world.NewUser("alice");
        for (var i = 0; i < 2; i++)
        {
            var wrong = await stranger.LoginAsync("not-alices-password-" + i);
            Assert.True(wrong.ExitCode == 4, wrong.ToString());
        }

        var locked = await stranger.LoginAsync();
        Assert.True(locked.ExitCode == 1, locked.ToString());
        Assert.Matches(@"try again in \d+ (seconds|minutes)\.", locked.Stderr);
        Assert.DoesNotContain("try again later", locked.Stderr, StringComparison.Ordinal);

        var json = await stranger.Cli.RunAsync(alice.Password + "\n", "login", "alice", "--server", world.Server.Url, "--password-stdin",
            "--trust-server", world.Server.Fingerprint, "--replace-identity", "--json");
        using var error = System.Text.Json.JsonDocument.Parse(json.Stderr);
        Assert.Matches(@"try again in \d+ (seconds|minutes)\.", error.RootElement.GetProperty("message").GetString()!);
    }
}
