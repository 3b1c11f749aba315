using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parley.Client;
using Parley.Client.Contacts;
using Parley.Client.Messaging;
using Parley.Client.Profiles;
using Parley.Client.Storage;
using Parley.EndToEnd.Tests.Daemon;
using Parley.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests.Web;

/// <summary>
/// The issue's performance cases: 100 conversations, one of them 10,000 messages long. The data is
/// seeded straight into bob's encrypted store from the test process (before his daemon starts) —
/// relaying 10,000 real messages would take minutes and measure the relay, not the page. The test
/// asserts the paging behaviour (the sidebar is one <c>conversations</c> answer; opening fetches the
/// newest page only; scrolling up fetches the page before it); the page's own timings
/// (<c>performance.measure</c>) are written to the test output for docs/BENCHMARKS.md, not asserted.
/// </summary>
public sealed class WebPerformanceTests(ITestOutputHelper output)
{
    private const int Conversations = 100;
    private const int LongConversation = 10_000;
    private const string Long = "alice";

    [Fact]
    public async Task The_list_of_100_conversations_is_one_answer_and_a_10000_message_conversation_opens_on_its_newest_page()
    {
        await using var world = await World.StartAsync();
        var bob = world.NewUser("bob");
        var alice = world.NewUser(Long);
        await Task.WhenAll(bob.RegisterAsync(), alice.RegisterAsync());
        await User.BefriendAsync(alice, bob); // the long conversation is with a real contact: history checks the server's list
        await SeedAsync(bob);
        await using var daemon = await DaemonProcess.StartAsync(bob.Cli);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        var calls = new ConcurrentQueue<JsonNode>();
        page.WebSocket += (_, socket) => socket.FrameSent += (_, frame) =>
        {
            if (frame.Text is { } text && JsonNode.Parse(text) is JsonObject call && call["method"] is not null)
            {
                calls.Enqueue(call);
            }
        };

        await page.GotoAsync($"http://127.0.0.1:{daemon.Port}/#token={daemon.Token}");
        await page.Locator(".conversations li[data-user]").Nth(Conversations - 1).WaitForAsync();
        var listPaint = await MeasureAsync(page, "parley:list");
        Assert.Equal(Long, await page.Locator(".conversations li[data-user]").First.GetAttributeAsync("data-user")); // newest activity first
        Assert.Contains("message 9999", await page.Locator($"li[data-user={Long}] .preview").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("3", await page.Locator("li[data-user=peer001] .unread").InnerTextAsync());
        Assert.DoesNotContain(calls, c => Method(c) == "history"); // the sidebar needed no history

        await page.Locator($"li[data-user={Long}] button.conversation").ClickAsync();
        await page.Locator(".messages li.message").Filter(new() { HasText = "message 9999" }).WaitForAsync();
        var open = await MeasureAsync(page, "parley:open");
        var first = Assert.Single(calls, c => Method(c) == "history");
        Assert.True(first["params"]!["limit"]!.GetValue<int>() <= 100, "opening fetches one page, not the conversation");
        Assert.Null(first["params"]!["before"]);
        var shown = await page.Locator(".messages li.message").CountAsync();
        Assert.InRange(shown, 1, 100);

        // Scrolling to the top fetches the page before, by the cursor, and keeps the rest.
        await page.Locator(".messages").EvaluateAsync("log => { log.scrollTop = 0; log.dispatchEvent(new Event('scroll')); }");
        await page.WaitForFunctionAsync($"n => document.querySelectorAll('.messages li.message').length > n", shown);
        var older = calls.Where(c => Method(c) == "history").Skip(1).First();
        Assert.Matches("^[0-9a-f]{32}$", older["params"]!["before"]!.GetValue<string>());
        Assert.True(await page.Locator(".messages li.message").CountAsync() <= 2 * shown);

        // The same page loaded again: the daemon has run each path once (the test's daemon is a JIT
        // build, whose first calls compile; the shipped `parley` is compiled ahead of time).
        await page.ReloadAsync();
        await page.Locator(".conversations li[data-user]").Nth(Conversations - 1).WaitForAsync();
        var warmPaint = await MeasureAsync(page, "parley:list");

        output.WriteLine($"first paint of the conversation list ({Conversations} conversations): {listPaint:F0} ms after navigation start");
        output.WriteLine($"the same after a reload (daemon warm): {warmPaint:F0} ms after navigation start");
        output.WriteLine($"open the {LongConversation:N0}-message conversation, newest page shown: {open:F0} ms");
        output.WriteLine($"machine load: {File.ReadAllText("/proc/loadavg").Trim()}");
        Assert.DoesNotContain(browser.Console, line => line.StartsWith("page error", StringComparison.Ordinal));
    }

    private static string? Method(JsonNode call) => call["method"]?.GetValue<string>();

    private static Task<double> MeasureAsync(IPage page, string name) =>
        page.EvaluateAsync<double>("name => { const e = performance.getEntriesByName(name); return e.length ? e[0].duration || e[0].startTime : -1; }", name);

    /// <summary>
    /// 100 conversations, 99 with a few messages (peer001 with 3 unread) and alice's with 10,000,
    /// written to bob's store through the client's own store API (sealed exactly as received messages are).
    /// </summary>
    private static async Task SeedAsync(User bob)
    {
        var options = new ClientOptions { KeyCache = new UnlockedKeyCache(bob.Cli.RuntimeDirectory) };
        await using var client = ParleyClient.Resume(new ParleyHome(bob.Cli.Home), "bob", options);
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        for (var i = 0; i < Conversations; i++)
        {
            var peer = i == 0 ? Long : $"peer{i:D3}";
            var count = i == 0 ? LongConversation : i == 1 ? 3 : 2;
            client.Store.InTransaction(() => // one transaction per conversation: 10,000 inserts in seconds
            {
                if (i != 0)
                {
                    client.Store.PutContact(new Contact { UserName = peer, State = ContactState.Accepted }); // local only: the server later lists them as former contacts
                }

                for (var n = 0; n < count; n++)
                {
                    client.Store.TryAddIncoming(new StoredMessage
                    {
                        Id = MessageId.New(),
                        Peer = peer,
                        Direction = n % 2 == 0 || i == 1 ? MessageDirection.Incoming : MessageDirection.Outgoing,
                        State = DeliveryState.Read,
                        Text = $"message {n} with {peer}",
                        SentAt = i == 0 ? start.AddMinutes(n * 4) : start.AddMinutes((-i * 10) + n),
                    });
                }

                if (i != 1)
                {
                    client.Store.TakeUnshownIncoming(peer); // read, except peer001's three
                }
            });
        }
    }
}
