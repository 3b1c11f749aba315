using Parley.Client.Calls;

namespace Parley.Client.Tests.Calls;

/// <summary>Call ids: their text form, their order (the glare rule's) and the bounded memory of seen ids.</summary>
public sealed class CallIdTests
{
    [Fact]
    public void Ids_are_32_lowercase_hex_digits_and_order_as_their_text()
    {
        var ids = Enumerable.Range(0, 200).Select(_ => CallId.New()).ToList();
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id.ToString()));
        Assert.All(ids, id => Assert.True(CallId.TryParse(id.ToString(), out var back) && back == id));
        Assert.Equal(ids.Select(i => i.ToString()).Order(StringComparer.Ordinal), ids.Order().Select(i => i.ToString()));
        Assert.False(CallId.TryParse("0123456789ABCDEF0123456789abcdef", out _));
        Assert.False(CallId.TryParse("0123456789abcdef0123456789abcde", out _));
        Assert.False(CallId.TryParse("0123456789abcdef0123456789abcdef0", out _));
        Assert.False(CallId.TryParse(null, out _));
        Assert.Equal("00000000000000000000000000000001", new CallId(1).ToString());
    }

    [Fact]
    public void The_memory_of_seen_ids_holds_the_limit_and_forgets_the_oldest_one_past_it()
    {
        var recent = new RecentCallIds();
        var ids = Enumerable.Range(1, CallLimits.MaxRememberedCallIds + 1).Select(i => new CallId((UInt128)i)).ToList();
        Assert.All(ids.Take(CallLimits.MaxRememberedCallIds), id => Assert.True(recent.Add(id)));
        Assert.False(recent.Add(ids[0])); // at the limit every id is still known
        Assert.True(recent.Add(ids[^1])); // one past: the oldest is forgotten
        Assert.True(recent.Add(ids[0]));
        Assert.False(recent.Add(ids[^1]));
    }
}
