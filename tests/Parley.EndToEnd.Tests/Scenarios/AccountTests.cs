using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Scenarios;

/// <summary>Logging out and in, wrong passwords, weak passwords, several profiles in one home.</summary>
public sealed class AccountTests
{
    [Fact]
    public async Task After_logout_commands_are_refused_until_login_and_the_store_survives()
    {
        await using var world = await World.StartAsync();
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");
        await alice.SendAsync(bob, "kept across logins");

        await alice.OkAsync("logout");
        Assert.Empty(Directory.EnumerateFiles(alice.Cli.RuntimeDirectory, "*", SearchOption.AllDirectories));
        foreach (var args in new[] { new[] { "whoami" }, ["send", "bob", "x"], ["history", "bob"] })
        {
            var refused = await alice.RunAsync(args);
            Assert.Equal(8, refused.ExitCode);
            Assert.Contains("not logged in", refused.Stderr, StringComparison.Ordinal);
        }

        var wrong = await alice.LoginAsync("not-the-password-at-all");
        Assert.Equal(4, wrong.ExitCode);
        Assert.Contains("password is wrong", wrong.Stderr, StringComparison.Ordinal);

        var login = await alice.LoginAsync();
        Assert.True(login.ExitCode == 0, login.ToString());
        var history = (await alice.OkAsync("history", "bob", "--json")).JsonLines;
        Assert.Equal("kept across logins", Assert.Single(history).GetProperty("text").GetString());
        Assert.Equal("alice", Assert.Single((await alice.OkAsync("whoami", "--json")).JsonLines).GetProperty("user").GetString());
    }

    [Fact]
    public async Task Two_profiles_share_one_installation()
    {
        await using var world = await World.StartAsync();
        var alice = world.NewUser("alice");
        var carol = World.SameHome(alice, "carol");
        await alice.RegisterAsync();
        await carol.RegisterAsync();

        Assert.Equal("alice", Assert.Single((await alice.OkAsync("whoami", "--json")).JsonLines).GetProperty("user").GetString());
        Assert.Equal("carol", Assert.Single((await carol.OkAsync("whoami", "--json")).JsonLines).GetProperty("user").GetString());
        await User.BefriendAsync(alice, carol);
        await carol.SendAsync(alice, "hello from the same machine");
        Assert.Equal(["hello from the same machine"], User.Texts(await alice.ReceiveAsync()));

        await carol.OkAsync("logout");
        Assert.Equal(8, (await carol.RunAsync("whoami")).ExitCode);
        Assert.Equal(0, (await alice.RunAsync("whoami")).ExitCode);
    }

    [Fact]
    public async Task Weak_passwords_are_refused_with_a_reason_and_nothing_is_created()
    {
        await using var world = await World.StartAsync();
        var dave = world.NewUser("dave");
        var result = await dave.Cli.RunAsync("password1\n", "register", "dave", "--server", world.Server.Url, "--password-stdin", "--trust-server", world.Server.Fingerprint);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("too weak", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(8, (await dave.RunAsync("whoami")).ExitCode);
    }

    [Fact]
    public async Task An_untrusted_server_needs_its_fingerprint_and_a_wrong_one_is_refused()
    {
        await using var world = await World.StartAsync();
        var erin = world.NewUser("erin");
        var none = await erin.Cli.RunAsync(erin.Password + "\n", "register", "erin", "--server", world.Server.Url, "--password-stdin");
        Assert.Equal(11, none.ExitCode);
        var wrong = await erin.Cli.RunAsync(erin.Password + "\n", "register", "erin", "--server", world.Server.Url, "--password-stdin", "--trust-server", "SHA256:" + new string('0', 64));
        Assert.Equal(10, wrong.ExitCode);
        await erin.RegisterAsync();
    }

    [Fact]
    public async Task A_registration_that_fails_midway_leaves_nothing_behind_and_can_be_run_again()
    {
        // Fewer ML-KEM prekeys may be stored than a new profile uploads: the account is created, then the key upload is refused.
        await using var world = await World.StartAsync("--Keys:MaxStoredKemPreKeys", "5");
        var alice = world.NewUser("alice");
        var bob = world.NewUser("bob");
        var failed = await alice.Cli.RunAsync(alice.Password + "\n", "register", "alice", "--server", world.Server.Url, "--password-stdin", "--trust-server", world.Server.Fingerprint);
        Assert.True(failed.ExitCode != 0, failed.ToString());
        var left = Directory.Exists(alice.Cli.Home)
            ? Directory.EnumerateFileSystemEntries(alice.Cli.Home, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(alice.Cli.Home, p)).ToList()
            : [];
        Assert.DoesNotContain(left, p => p.Contains("alice", StringComparison.Ordinal));

        await world.Server.StopAsync();
        world.Server.Reconfigure();
        await world.Server.StartAsync();
        await bob.RegisterAsync();
        var nobody = await bob.RunAsync("contacts", "request", "alice");
        Assert.True(nobody.ExitCode == 9, "the half-made account is still on the server: " + nobody);

        await alice.RegisterAsync();
        await User.BefriendAsync(alice, bob);
        await alice.SendAsync(bob, "registered at the second try");
        Assert.Equal(["registered at the second try"], User.Texts(await bob.ReceiveAsync()));
    }
}
