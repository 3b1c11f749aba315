using System.Text;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Scenarios;

/// <summary>The server stores ciphertext only; the clients' stores are sealed too.</summary>
public sealed class PlaintextTests
{
    [Fact]
    public async Task No_message_plaintext_is_found_in_any_file_of_the_server_data_directory_or_the_client_homes()
    {
        await using var world = await World.StartAsync();
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");

        var sent = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var toBob = $"MARKER-a2b-{i}-{Guid.NewGuid():N} the quick brown fox";
            var toAlice = $"MARKER-b2a-{i}-{Guid.NewGuid():N} jumps over the lazy dog";
            await alice.SendAsync(bob, toBob);
            sent.Add(toBob);
            await bob.ReceiveAsync();
            await bob.SendAsync(alice, toAlice);
            sent.Add(toAlice);
        }

        // Two more that stay queued on the server (Alice never receives them before the scan).
        foreach (var text in new[] { "MARKER-queued-1 " + Guid.NewGuid().ToString("N"), "MARKER-queued-2 " + Guid.NewGuid().ToString("N") })
        {
            await bob.SendAsync(alice, text);
            sent.Add(text);
        }

        // Stop the server so every byte (database, WAL, journals) is on disk, then read everything raw.
        await world.Server.StopAsync();
        var places = new[] { world.Server.DataDirectory, alice.Cli.Home, bob.Cli.Home, alice.Cli.RuntimeDirectory, bob.Cli.RuntimeDirectory };
        var files = places.SelectMany(p => Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories)).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var text in sent)
            {
                foreach (var needle in new[] { text, text[..24], text[^20..] })
                {
                    Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) < 0, $"'{needle}' found in {file}");
                    Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(needle)) < 0, $"UTF-16 '{needle}' found in {file}");
                }
            }
        }

        // The messages were really delivered: the test is not vacuous.
        await world.Server.StartAsync();
        // Match on the prefix: a random GUID in an a2b text can itself contain "b2a".
        Assert.Equal(sent.Where(t => t.StartsWith("MARKER-queued-", StringComparison.Ordinal) || t.StartsWith("MARKER-b2a-", StringComparison.Ordinal)).Order(), User.Texts(await alice.ReceiveAsync()).Order());
    }
}
