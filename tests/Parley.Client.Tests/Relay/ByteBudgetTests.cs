using Parley.Client.Relay;

namespace Parley.Client.Tests.Relay;

/// <summary>The link's buffer budget: full at the limit, waiting one byte past it, never stuck on one large frame.</summary>
public sealed class ByteBudgetTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Takes_up_to_the_limit_then_waits_for_bytes_given_back()
    {
        using var budget = new ByteBudget(100);
        await budget.TakeAsync(60, CancellationToken.None).WaitAsync(Timeout);
        await budget.TakeAsync(40, CancellationToken.None).WaitAsync(Timeout); // at the limit
        var past = budget.TakeAsync(1, CancellationToken.None); // one past it
        Assert.False(past.IsCompleted);

        budget.Give(60);
        await past.WaitAsync(Timeout);
        Assert.Equal(41, budget.Outstanding);
    }

    [Fact]
    public async Task A_frame_larger_than_the_whole_budget_passes_alone_and_waits_for_company()
    {
        using var budget = new ByteBudget(100);
        await budget.TakeAsync(500, CancellationToken.None).WaitAsync(Timeout);
        var next = budget.TakeAsync(1, CancellationToken.None);
        Assert.False(next.IsCompleted);
        budget.Give(500);
        await next.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_waiting_take_ends_when_cancelled()
    {
        using var budget = new ByteBudget(10);
        await budget.TakeAsync(10, CancellationToken.None).WaitAsync(Timeout);
        using var cancel = new CancellationTokenSource();
        var waiting = budget.TakeAsync(1, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Timeout));
    }
}
